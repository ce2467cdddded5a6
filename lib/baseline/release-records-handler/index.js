// @ts-check
/**
 * Creates the missing release records of a baseline's account and region (docs/releases.md).
 * Runs in Lambda (Node.js 22, whose runtime ships the AWS SDK v3) behind the CDK provider
 * framework, which answers CloudFormation. Plain JavaScript so the asset needs no build step.
 *
 * Each record is put once with `Overwrite: false`: a record that exists keeps its value (the
 * team's last verified release) and only gets its tags. Nothing here deletes or overwrites a
 * record, so no baseline update, rollback or deletion can revert a release.
 */
const { SSMClient, PutParameterCommand, AddTagsToResourceCommand } = require('@aws-sdk/client-ssm');

/** Value of a record before its team's first release. Keep in step with release-records.ts. */
const UNRELEASED_VALUE = 'unreleased';
/** Calls in flight at once: SSM's default PutParameter throughput is shared with the teams' pipelines. */
const CONCURRENCY = 4;

/**
 * @typedef {{ Name: string, Team: string, Environment: string, Tags: Record<string, string> }} RecordSpec
 * @typedef {{ Key: string, Value: string }} Tag
 */

/**
 * The tags of one record (its team's: Team, Environment, ManagedBy and the rest of the contract), sorted by key.
 * @param {RecordSpec} record
 * @returns {Tag[]}
 */
function tagsOf(record) {
  return Object.keys(record.Tags ?? {}).sort().map(Key => ({ Key, Value: record.Tags[Key] }));
}

/**
 * Puts one record as unreleased unless it exists; an existing record is only tagged.
 * @param {{ send: (command: any) => Promise<any> }} client
 * @param {RecordSpec} record
 * @returns {Promise<'created' | 'existed'>}
 */
async function ensureRecord(client, record) {
  const Tags = tagsOf(record);
  try {
    await client.send(new PutParameterCommand({
      Name: record.Name,
      Value: UNRELEASED_VALUE,
      Type: 'String',
      Overwrite: false,
      Description: `Image tag ${record.Team} released to ${record.Environment}; written by its pipeline after a verified release`,
      Tags,
    }));
    return 'created';
  } catch (e) {
    if (!e || /** @type {{ name?: string }} */ (e).name !== 'ParameterAlreadyExists') throw e;
    await client.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: record.Name, Tags }));
    return 'existed';
  }
}

/**
 * Ensures every record, a few at a time; the first failure fails the whole call (CloudFormation
 * then rolls the baseline back, and nothing it created is deleted).
 * @param {{ send: (command: any) => Promise<any> }} client
 * @param {readonly RecordSpec[]} records
 * @returns {Promise<{ created: number, existed: number }>}
 */
async function ensureRecords(client, records) {
  const counts = { created: 0, existed: 0 };
  const queue = [...records];
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) counts[await ensureRecord(client, r)] += 1;
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return counts;
}

/**
 * The records an event must ensure: all of them on create; on update only those added since the
 * last deploy (the others exist already); none on delete, because records outlive the baseline.
 * @param {any} event
 * @returns {RecordSpec[]}
 */
function recordsToEnsure(event) {
  /** @type {RecordSpec[]} */
  const records = event.ResourceProperties.Records ?? [];
  if (event.RequestType === 'Create') return records;
  if (event.RequestType !== 'Update') return [];
  const before = new Set((event.OldResourceProperties?.Records ?? []).map((/** @type {RecordSpec} */ r) => r.Name));
  return records.filter(r => !before.has(r.Name));
}

/**
 * The provider framework's onEvent handler.
 * @param {any} event
 * @param {{ client?: { send: (command: any) => Promise<any> } }} [deps]
 */
async function handler(event, deps = {}) {
  const records = recordsToEnsure(event);
  const counts = records.length === 0 ? { created: 0, existed: 0 }
    : await ensureRecords(deps.client ?? new SSMClient({}), records);
  console.log(JSON.stringify({ requestType: event.RequestType, ensured: records.length, ...counts }));
  return {
    PhysicalResourceId: event.PhysicalResourceId ?? event.ResourceProperties.RecordSetId,
    Data: { Created: String(counts.created), Existed: String(counts.existed) },
  };
}

module.exports = { handler, ensureRecords, recordsToEnsure, UNRELEASED_VALUE };
