/**
 * Which catalogue alarms a team environment (or a team's delivery) gets, with severity, threshold,
 * name and description resolved. Pure functions: constructs build from the plan, tests compare the
 * synthesized alarms with it.
 */
import {
  ALARM_CATALOGUE, AlarmCatalogueEntry, AlarmPlacement, AlarmSeverity, runbookUrl, severityFor, thresholdFor,
} from '../contract';
import { alarmName, deliveryAlarmName } from './names';
import type { EnvironmentSpec, SourceRepository } from '../registry/types';

export interface PlannedAlarm {
  readonly entry: AlarmCatalogueEntry;
  readonly severity: AlarmSeverity;
  /** Undefined for the composite. */
  readonly threshold?: number;
  readonly alarmName: string;
  readonly runbookUrl: string;
  /** What the alarm means and its threshold; the runbook link is appended by the alarm factory. */
  readonly description: string;
}

/** Catalogue entries a placement creates as CloudWatch alarms (event-routed entries have no alarm). */
export function alarmEntriesFor(placement: AlarmPlacement, hasDatabase: boolean): AlarmCatalogueEntry[] {
  return ALARM_CATALOGUE.filter(e => (e.placement ?? 'environment') === placement)
    .filter(e => (e.source ?? 'metric') !== 'event')
    .filter(e => hasDatabase || !e.requiresDatabase);
}

/** The alarms of one team environment, composite included. */
export function planEnvironmentAlarms(teamId: string, env: EnvironmentSpec, repository: SourceRepository, hasDatabase: boolean): PlannedAlarm[] {
  return alarmEntriesFor('environment', hasDatabase).map(entry => {
    const severity = severityFor(entry, env.isProd);
    return plan(entry, severity, thresholdFor(entry, env.isProd, env.alarms), alarmName(teamId, env.name, severity, entry.id), repository, `${teamId} ${env.name}`);
  });
}

/**
 * The alarms of a team's delivery (tooling account). Delivery is not an environment: defaults are the
 * non-prod ones, and the registry's overrides do not apply (they are per environment).
 */
export function planDeliveryAlarms(teamId: string, repository: SourceRepository): PlannedAlarm[] {
  return alarmEntriesFor('delivery', false).map(entry =>
    plan(entry, severityFor(entry, false), thresholdFor(entry, false, {}), deliveryAlarmName(teamId, entry.id), repository, `${teamId} delivery`));
}

function plan(
  entry: AlarmCatalogueEntry, severity: AlarmSeverity, threshold: number | undefined, name: string, repository: SourceRepository, where: string,
): PlannedAlarm {
  const limit = threshold === undefined ? '' : ` Threshold: ${threshold} ${entry.unit ?? ''}.`.replace(' .', '.');
  return {
    entry,
    severity,
    threshold,
    alarmName: name,
    runbookUrl: runbookUrl(repository, entry.id),
    description: `[${severity}] ${entry.title} (${where}): ${entry.meaning}${limit} First step: ${entry.firstSteps[0]}`,
  };
}

/** The plan entry for a catalogue id; throws when the plan does not contain it. */
export function planned(alarms: readonly PlannedAlarm[], id: string): PlannedAlarm {
  const found = alarms.find(p => p.entry.id === id);
  if (!found) throw new Error(`alarm ${id} is not planned here; planned: ${alarms.map(p => p.entry.id).join(', ')}`);
  return found;
}
