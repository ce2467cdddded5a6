import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support';
import { evaluateTemplates, guardCatalog, templatesInAssembly } from '../../lib/compliance';
import { ACKNOWLEDGMENT_METADATA_KEY } from '../../lib/contract/naming';

const REASON = 'Static site assets behind CloudFront; the bucket holds nothing confidential.';

/** Hand-written templates: no synth needed. */
function writeTemplates(dir: string): string[] {
  const open = { Type: 'AWS::S3::Bucket', Properties: {} };
  const acknowledged = { ...open, Metadata: { [ACKNOWLEDGMENT_METADATA_KEY]: [{ ruleId: 'CT.S3.PR.1', reason: REASON, acknowledgedAt: 'Site/Assets' }] } };
  const topic = { Type: 'AWS::SNS::Topic', Properties: {} };
  const templates = {
    'Open.template.json': { Resources: { Bucket: open } },
    'Site.template.json': { Resources: { Assets: acknowledged } },
    'Copy.template.json': { Resources: { Bucket: open } },
    'Topic.template.json': { Resources: { Alerts: topic } },
  };
  return Object.entries(templates).map(([name, body]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(body));
    return file;
  });
}

describe('evaluateTemplates', () => {
  const dir = tempDir('templates');
  const files = writeTemplates(dir);
  const inputs = files.map(templatePath => ({ templatePath }));

  test('cfn-guard gets only the rules for the resource types present', () => {
    const s3Rules = guardCatalog().ruleFilesFor(new Set(['AWS::S3::Bucket']));
    expect(s3Rules.length).toBeGreaterThan(5);
    expect(s3Rules.every(f => f.includes(`${path.sep}s3${path.sep}`))).toBe(true);
    expect(guardCatalog().ruleFilesFor(new Set(['AWS::Some::Unknown']))).toEqual([]);
  });

  test('evaluates identical content once, and in parallel finds what one thread finds', () => {
    const parallel = evaluateTemplates(inputs, { concurrency: 2 });
    const serial = evaluateTemplates(inputs, { concurrency: 1 });
    expect(parallel.stats.distinctTemplates).toBe(3);
    expect(parallel.findings).toEqual(serial.findings);
    const onOpen = parallel.findings.filter(f => f.stack === 'Open').map(f => f.ruleId);
    const onCopy = parallel.findings.filter(f => f.stack === 'Copy').map(f => f.ruleId);
    expect(onOpen).toContain('CT.S3.PR.1');
    expect(onOpen).toContain('AwsSolutions-S1');
    expect(onCopy).toEqual(onOpen);
  });

  test('an acknowledgment in the template metadata covers its rule on its resource only', () => {
    const { findings, acknowledgments } = evaluateTemplates(inputs, { concurrency: 1 });
    const site = findings.filter(f => f.stack === 'Site');
    expect(site.find(f => f.ruleId === 'CT.S3.PR.1')).toMatchObject({ status: 'acknowledged', reason: REASON, constructPath: 'Site/Assets' });
    expect(site.filter(f => f.status === 'open').length).toBeGreaterThan(0);
    expect(acknowledgments).toEqual([{ ruleId: 'CT.S3.PR.1', reason: REASON, acknowledgedAt: 'Site/Assets', stack: 'Site', logicalId: 'Assets', constructPath: 'Site/Assets' }]);
  });

  test('a template the packs cannot read is an open finding, never a pass', () => {
    const broken = path.join(tempDir('broken'), 'Broken.template.json');
    fs.writeFileSync(broken, JSON.stringify({ Resources: { X: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::NoSuchFunction': 1 } } } } }));
    const { findings } = evaluateTemplates([{ templatePath: broken }], { concurrency: 1 });
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'Springboard-TemplateNotEvaluated', status: 'open' }));
  });

  test('templatesInAssembly refuses a directory that is not an assembly', () => {
    expect(() => templatesInAssembly(dir)).toThrow(/is not a cloud assembly: expected .*manifest.json/);
  });
});
