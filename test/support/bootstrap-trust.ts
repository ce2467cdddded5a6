/** The trust of a bootstrap template's role as CloudFormation deploys it. */

const NO_VALUE = Symbol('NoValue');

/**
 * A template role's trust as deployed in `account` with `--trust` for each of `trusted`
 * (TrustedAccounts set when any is given, no lookup-only accounts, no external-id deny), in the aws partition.
 */
export function deployedTrust(template: any, roleId: string, account: string, trusted: readonly string[]): any {
  const conditions: Record<string, boolean> = {
    HasTrustedAccounts: trusted.length > 0, HasTrustedAccountsForLookup: false, ShouldDenyExternalId: false,
  };
  const refs: Record<string, unknown> = { 'AWS::NoValue': NO_VALUE, 'TrustedAccounts': [...trusted], 'AWS::AccountId': account, 'AWS::Partition': 'aws' };
  const resolve = (v: any): any => {
    if (Array.isArray(v)) return v.map(resolve).filter(x => x !== NO_VALUE);
    if (!v || typeof v !== 'object') return v;
    if ('Fn::If' in v) return resolve(conditions[v['Fn::If'][0]] ? v['Fn::If'][1] : v['Fn::If'][2]);
    if ('Ref' in v) return refs[v.Ref];
    if ('Fn::Sub' in v) return String(v['Fn::Sub']).replace('${AWS::Partition}', 'aws').replace('${AWS::AccountId}', account);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]).filter(([, x]) => x !== NO_VALUE));
  };
  return resolve(template.Resources[roleId].Properties.AssumeRolePolicyDocument);
}
