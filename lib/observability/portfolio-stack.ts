/**
 * The CIO office's portfolio: dashboards in the tooling account with one row per team, naming every
 * team, showing each environment's service health alarm (read from the environment's account) and
 * the delivery's state (build alarm and failed pipeline executions, in the tooling account), and the
 * prod service's running tasks through CloudWatch cross-account observability.
 *
 * Fleet-wide: built from the whole registry, never with a team filter. Teams are sorted by id and cut
 * into pages of `teamsPerPage`, so the same registry always gives the same dashboards, and a page
 * stays below CloudWatch's widget and size limits however large the fleet grows.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { planDeliveryAlarms } from './alarm-plan';
import { pipelineFailuresMetric } from './delivery-monitoring';
import { environmentClusterName, healthAlarmName, portfolioDashboardName } from './names';
import { AlarmStateWidget, alarmArn, clusterTasksWidget } from './widgets';
import { applyTags } from '../construct-kit/tags';
import { PROD_ENVIRONMENT, pipelineName, platformOwnerTags, platformStackName } from '../contract';
import type { Registry, TeamSpec } from '../registry/types';

/** Teams per portfolio page: three widgets each keeps a page far below 500 widgets. */
export const DEFAULT_TEAMS_PER_PAGE = 40;

export interface PortfolioStackProps extends StackProps {
  /** The whole registry (the portfolio names every team). */
  readonly registry: Registry;
  /**
   * Teams per dashboard page.
   * @default DEFAULT_TEAMS_PER_PAGE
   */
  readonly teamsPerPage?: number;
}

export class PortfolioStack extends Stack {
  readonly dashboards: Dashboard[] = [];

  constructor(scope: App | Construct, id: string, props: PortfolioStackProps) {
    const { platform } = props.registry;
    super(scope, id, {
      ...props,
      stackName: platformStackName('portfolio'),
      env: { account: platform.tooling.account, region: platform.tooling.region },
      description: `Springboard portfolio of ${platform.organization}: every team's service health and delivery`,
      analyticsReporting: false,
    });
    const perPage = props.teamsPerPage ?? DEFAULT_TEAMS_PER_PAGE;
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) throw new Error(`portfolio teamsPerPage must be a whole number from 1 to 100, received ${perPage}`);
    const teams = [...props.registry.teams].sort((a, b) => a.id.localeCompare(b.id));
    const pages = Math.max(1, Math.ceil(teams.length / perPage));
    for (let page = 1; page <= pages; page++) {
      const slice = teams.slice((page - 1) * perPage, page * perPage);
      this.dashboards.push(this.page(page, pages, slice, platform.organization));
    }
    applyTags(this, platformOwnerTags(), platform.tags);
  }

  private page(page: number, pages: number, teams: readonly TeamSpec[], organization: string): Dashboard {
    const dashboard = new Dashboard(this, `Page${page}`, { dashboardName: portfolioDashboardName(page) });
    dashboard.addWidgets(new TextWidget({
      markdown: `# ${organization}: Springboard portfolio (page ${page} of ${pages})\n`
        + `Teams ${teams.map(t => `\`${t.id}\``).join(', ') || '(none)'}. One row per team: service health per environment `
        + '(red: a critical signal is in alarm), delivery alarms, failed pipeline executions and prod running tasks.',
      width: 24,
      height: 2,
    }));
    for (const team of teams) dashboard.addWidgets(...this.row(team));
    return dashboard;
  }

  private row(team: TeamSpec): [TextWidget, AlarmStateWidget, GraphWidget] {
    const { partition } = this;
    const health = team.environments.map(e => alarmArn(partition, e.region, e.account, healthAlarmName(team.id, e.name, e.isProd)));
    const delivery = planDeliveryAlarms(team.id, team.repository).map(p => alarmArn(partition, this.region, this.account, p.alarmName));
    const prod = team.environments.find(e => e.name === PROD_ENVIRONMENT)!;
    const activity = clusterTasksWidget({
      title: `${team.id}: prod running tasks, failed pipeline executions`,
      clusters: [{ label: 'prod running tasks', account: prod.account, region: prod.region, clusterName: environmentClusterName(team.id, prod.name) }],
      width: 8,
      height: 4,
    });
    activity.addRightMetric(pipelineFailuresMetric(team.id));
    return [
      new TextWidget({
        markdown: `### ${team.id}\n${team.displayName}, ${team.programOffice}\n\nOwner ${team.contacts.owner.name}; pipeline \`${pipelineName(team.id)}\``,
        width: 6,
        height: 4,
      }),
      new AlarmStateWidget({ title: `${team.id}: health per environment and delivery`, alarmArns: [...health, ...delivery], width: 10, height: 4 }),
      activity,
    ];
  }
}
