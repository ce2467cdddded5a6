/**
 * An architecture diagram of one team environment as inline SVG (no network, no scripts): who can
 * reach what, derived from the templates. Internet → load balancers → compute → data stores, with
 * security and logging resources underneath. Edges come from listeners and target groups, from
 * security-group rules between groups, and from ingress open to the internet. The same edges are
 * returned as data so the report can print them as a table (the diagram's text alternative).
 */
import { checkLoadBalancerExposure, checkOpenIngress } from './checks/reachability';
import { ResourceView, StackView, asArray, describeValue, referencedLogicalId, shortName } from './template';

export type Tier = 'internet' | 'entry' | 'compute' | 'data' | 'support';

export interface DiagramNode {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly tier: Tier;
  readonly resourcePath?: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly dashed?: boolean;
}

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  readonly svg: string;
}

const KINDS: Readonly<Record<string, readonly [Tier, string]>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['entry', 'load balancer'],
  'AWS::ApiGateway::RestApi': ['entry', 'API gateway'],
  'AWS::ApiGatewayV2::Api': ['entry', 'API gateway'],
  'AWS::CloudFront::Distribution': ['entry', 'CloudFront'],
  'AWS::WAFv2::WebACL': ['entry', 'web ACL'],
  'AWS::ECS::Service': ['compute', 'ECS service'],
  'AWS::Lambda::Function': ['compute', 'Lambda function'],
  'AWS::EC2::Instance': ['compute', 'EC2 instance'],
  'AWS::AutoScaling::AutoScalingGroup': ['compute', 'auto scaling group'],
  'AWS::CodePipeline::Pipeline': ['compute', 'pipeline'],
  'AWS::CodeBuild::Project': ['compute', 'build project'],
  'AWS::RDS::DBInstance': ['data', 'RDS database'],
  'AWS::RDS::DBCluster': ['data', 'RDS cluster'],
  'AWS::DynamoDB::Table': ['data', 'DynamoDB table'],
  'AWS::S3::Bucket': ['data', 'S3 bucket'],
  'AWS::EFS::FileSystem': ['data', 'EFS'],
  'AWS::ElastiCache::ReplicationGroup': ['data', 'ElastiCache'],
  'AWS::SQS::Queue': ['data', 'SQS queue'],
  'AWS::SNS::Topic': ['data', 'SNS topic'],
  'AWS::SecretsManager::Secret': ['data', 'secret'],
  'AWS::ECR::Repository': ['data', 'image repository'],
  'AWS::KMS::Key': ['support', 'KMS key'],
  'AWS::Logs::LogGroup': ['support', 'log group'],
  'AWS::Backup::BackupVault': ['support', 'backup vault'],
  'AWS::Backup::BackupPlan': ['support', 'backup plan'],
  'AWS::EC2::FlowLog': ['support', 'flow log'],
  'AWS::CloudTrail::Trail': ['support', 'CloudTrail'],
};

const INTERNET: DiagramNode = { id: 'internet', label: 'Internet', kind: 'anyone', tier: 'internet' };

/** Security groups a resource is placed in. */
function securityGroupsOf(r: ResourceView): string[] {
  const p = r.properties;
  const lists = [
    p.SecurityGroups, p.VPCSecurityGroups, p.VpcSecurityGroupIds,
    (p.VpcConfig as Record<string, unknown> | undefined)?.SecurityGroupIds,
    ((p.NetworkConfiguration as Record<string, unknown> | undefined)?.AwsvpcConfiguration as Record<string, unknown> | undefined)?.SecurityGroups,
  ];
  return lists.flatMap(l => asArray(l)).map(referencedLogicalId).filter((x): x is string => Boolean(x));
}

interface Rule { readonly group?: string; readonly source?: string; readonly port: string }

function ingressBetweenGroups(resources: readonly ResourceView[]): Rule[] {
  return resources.flatMap((r): Rule[] => {
    const port = (x: Record<string, unknown>) => String(x.IpProtocol) === '-1' ? 'all'
      : `${describeValue(x.FromPort)}${x.ToPort !== undefined && describeValue(x.ToPort) !== describeValue(x.FromPort) ? `-${describeValue(x.ToPort)}` : ''}`;
    if (r.type === 'AWS::EC2::SecurityGroupIngress') {
      const p = r.properties;
      return [{ group: referencedLogicalId(p.GroupId), source: referencedLogicalId(p.SourceSecurityGroupId), port: port(p) }];
    }
    if (r.type === 'AWS::EC2::SecurityGroup') {
      return (asArray(r.properties.SecurityGroupIngress) as Array<Record<string, unknown>>)
        .map(x => ({ group: r.logicalId, source: referencedLogicalId(x.SourceSecurityGroupId), port: port(x) }));
    }
    return [];
  }).filter(x => x.group && x.source);
}

/** Builds the nodes and edges of one environment from its stacks. */
export function environmentGraph(stacks: readonly StackView[]): { nodes: DiagramNode[]; edges: DiagramEdge[] } {
  const resources = stacks.flatMap(s => s.resources.map(r => ({ r, s })));
  const nodes: DiagramNode[] = resources.flatMap(({ r }) => {
    const kind = KINDS[r.type];
    return kind ? [{ id: r.logicalId, label: shortName(r), kind: kind[1], tier: kind[0], resourcePath: r.constructPath }] : [];
  });
  const ids = new Set([INTERNET.id, ...nodes.map(n => n.id)]);
  const edges: DiagramEdge[] = [];
  const add = (e: DiagramEdge) => {
    if (ids.has(e.from) && ids.has(e.to) && !edges.some(x => x.from === e.from && x.to === e.to)) edges.push(e);
  };
  const holders = new Map<string, string[]>();
  resources.forEach(({ r }) => securityGroupsOf(r).forEach(g => holders.set(g, [...(holders.get(g) ?? []), r.logicalId])));
  resources.forEach(({ r, s }) => {
    const lb = checkLoadBalancerExposure(r, s);
    if (lb.facts?.scheme === 'internet-facing') add({ from: INTERNET.id, to: r.logicalId, label: lb.facts.listeners });
    const open = checkOpenIngress(r);
    if (open.status !== 'not-applicable' && open.facts?.['open ports'] !== 'none') {
      const group = r.type === 'AWS::EC2::SecurityGroup' ? r.logicalId : referencedLogicalId(r.properties.GroupId);
      (holders.get(group ?? '') ?? []).forEach(h => add({ from: INTERNET.id, to: h, label: open.facts?.['open ports'] ?? '' }));
    }
  });
  ingressBetweenGroups(resources.map(x => x.r)).forEach(rule =>
    (holders.get(rule.source!) ?? []).forEach(from => (holders.get(rule.group!) ?? []).forEach(to => add({ from, to, label: `port ${rule.port}` }))));
  targetGroupEdges(resources.map(x => x.r)).forEach(add);
  return { nodes: edges.some(e => e.from === INTERNET.id) ? [INTERNET, ...nodes] : nodes, edges };
}

/** Load balancer → service through listener and target group, when no security-group rule already says so. */
function targetGroupEdges(resources: readonly ResourceView[]): DiagramEdge[] {
  const listeners = resources.filter(r => r.type === 'AWS::ElasticLoadBalancingV2::Listener');
  return resources.filter(r => r.type === 'AWS::ECS::Service').flatMap(service =>
    asArray(service.properties.LoadBalancers).flatMap(lb => {
      const tg = referencedLogicalId((lb as Record<string, unknown>).TargetGroupArn);
      return listeners
        .filter(l => asArray(l.properties.DefaultActions).some(a => referencedLogicalId((a as Record<string, unknown>).TargetGroupArn) === tg))
        .map(l => ({ from: referencedLogicalId(l.properties.LoadBalancerArn) ?? '', to: service.logicalId, label: `forwards to port ${String((lb as Record<string, unknown>).ContainerPort ?? '')}` }));
    }));
}

const COLUMNS: readonly Tier[] = ['internet', 'entry', 'compute', 'data'];
const FILL: Readonly<Record<Tier, string>> = { internet: '#fde2e1', entry: '#fff1c2', compute: '#dbeafe', data: '#dcfce7', support: '#ede9fe' };
const COL_W = 210;
const NODE_W = 180;
const NODE_H = 46;
const GAP = 14;
const MAX_PER_COLUMN = 8;
const MAX_SUPPORT = 12;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const clip = (text: string, max = 26) => text.length > max ? `${text.slice(0, max - 1)}…` : text;

interface Placed { readonly node: DiagramNode; readonly x: number; readonly y: number }

/** Lays the graph out in tiers and renders it as accessible inline SVG. */
export function renderDiagram(id: string, title: string, graph: { nodes: readonly DiagramNode[]; edges: readonly DiagramEdge[] }): Diagram {
  const placed: Placed[] = [];
  const hidden: string[] = [];
  COLUMNS.forEach((tier, col) => {
    const inTier = graph.nodes.filter(n => n.tier === tier);
    inTier.slice(0, MAX_PER_COLUMN).forEach((node, row) => placed.push({ node, x: 20 + col * COL_W, y: 50 + row * (NODE_H + GAP) }));
    if (inTier.length > MAX_PER_COLUMN) hidden.push(`${inTier.length - MAX_PER_COLUMN} more ${tier}`);
  });
  const rows = Math.max(1, ...COLUMNS.map(t => Math.min(MAX_PER_COLUMN, graph.nodes.filter(n => n.tier === t).length)));
  const supportTop = 50 + rows * (NODE_H + GAP) + 40;
  const support = graph.nodes.filter(n => n.tier === 'support');
  support.slice(0, MAX_SUPPORT).forEach((node, i) =>
    placed.push({ node, x: 20 + (i % 4) * COL_W, y: supportTop + Math.floor(i / 4) * (NODE_H + GAP) }));
  if (support.length > MAX_SUPPORT) hidden.push(`${support.length - MAX_SUPPORT} more security and logging resources`);
  const width = 20 + COLUMNS.length * COL_W;
  const height = supportTop + Math.ceil(Math.min(support.length, MAX_SUPPORT) / 4) * (NODE_H + GAP) + (hidden.length ? 30 : 10);
  const at = new Map(placed.map(p => [p.node.id, p]));
  const edges = graph.edges.filter(e => at.has(e.from) && at.has(e.to));
  const desc = `${graph.nodes.length} components, ${graph.edges.length} connections. ${edges.map(e => `${labelOf(at.get(e.from)!)} to ${labelOf(at.get(e.to)!)} (${e.label})`).join('; ')}`;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" class="diagram">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f2937"/></marker></defs>`,
    ...COLUMNS.map((tier, col) => `<text x="${20 + col * COL_W}" y="30" font-size="13" font-weight="bold" fill="#1f2937">${tierTitle(tier)}</text>`),
    support.length ? `<text x="20" y="${supportTop - 12}" font-size="13" font-weight="bold" fill="#1f2937">${tierTitle('support')}</text>` : '',
    ...edges.map(e => edgeSvg(at.get(e.from)!, at.get(e.to)!, e, id)),
    ...placed.map(nodeSvg),
    hidden.length ? `<text x="20" y="${height - 10}" font-size="12" fill="#1f2937">Not drawn: ${escapeXml(hidden.join(', '))} (listed in the tables)</text>` : '',
    '</svg>',
  ].filter(Boolean).join('\n');
  return { nodes: graph.nodes, edges: graph.edges, svg };
}

function labelOf(p: Placed): string {
  return `${p.node.kind} ${p.node.label}`;
}

function tierTitle(tier: Tier): string {
  return { internet: 'Who reaches it', entry: 'Entry points', compute: 'Compute', data: 'Data', support: 'Keys, logs and backups' }[tier];
}

function nodeSvg(p: Placed): string {
  return [
    `<g><rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${FILL[p.node.tier]}" stroke="#374151"/>`,
    `<text x="${p.x + 8}" y="${p.y + 18}" font-size="12" font-weight="bold" fill="#111827">${escapeXml(clip(p.node.label))}</text>`,
    `<text x="${p.x + 8}" y="${p.y + 35}" font-size="11" fill="#374151">${escapeXml(p.node.kind)}</text></g>`,
  ].join('');
}

function edgeSvg(from: Placed, to: Placed, e: DiagramEdge, id: string): string {
  const forward = to.x > from.x;
  const x1 = forward ? from.x + NODE_W : from.x + NODE_W / 2;
  const y1 = forward ? from.y + NODE_H / 2 : from.y + NODE_H;
  const x2 = forward ? to.x : to.x + NODE_W / 2;
  const y2 = forward ? to.y + NODE_H / 2 : to.y;
  const dash = e.dashed ? ' stroke-dasharray="4 3"' : '';
  return `<g><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#1f2937" stroke-width="1.5"${dash} marker-end="url(#${id}-arrow)"/>`
    + `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}" font-size="10" fill="#111827" text-anchor="middle">${escapeXml(clip(e.label, 30))}</text></g>`;
}
