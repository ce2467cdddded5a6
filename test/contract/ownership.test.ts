import { PLATFORM_OWNER, TEAM_ID_PATTERN, platformOwnerTags, reservedTeamIdReason, teamOwnerTags } from '../../lib/contract';

describe('reserved team ids', () => {
  test('the platform owner value is a reserved id, so no team can carry the platform\'s Team tag', () => {
    expect(TEAM_ID_PATTERN.test(PLATFORM_OWNER)).toBe(true);
    expect(reservedTeamIdReason(PLATFORM_OWNER)).toBe("'springboard' is reserved: it is the owner tag (Team=springboard) of platform-owned resources");
  });

  test.each(['platform', 'shared', 'aws', 'cdk', 'springboard-tools', 'cdk-assets', 'aws-billing'])('%s is reserved', (id) => {
    expect(reservedTeamIdReason(id)).toMatch(new RegExp(`^'${id}' is reserved`));
  });

  test.each(['benefits-screener', 'pay', 'platforms', 'springboards', 'cdkx'])('%s is a team id', (id) => {
    expect(reservedTeamIdReason(id)).toBeUndefined();
  });
});

test('platform and team tags carry every contract key', () => {
  expect(Object.keys(platformOwnerTags()).sort()).toEqual(['CostCenter', 'DataClassification', 'Environment', 'ManagedBy', 'ProgramOffice', 'Team']);
  expect(platformOwnerTags()).toMatchObject({ Team: 'springboard', Environment: 'shared', DataClassification: 'high' });
  expect(teamOwnerTags({ id: 'pay', programOffice: 'P', costCenter: 'C', dataClassification: 'low' }, 'dev')).toEqual({
    Team: 'pay', Environment: 'dev', ProgramOffice: 'P', CostCenter: 'C', DataClassification: 'low', ManagedBy: 'springboard',
  });
});
