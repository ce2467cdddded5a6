import { baselineStack } from './helpers';
import { normalized, tagsOf } from '../environment/helpers';

const UNTAGGABLE = new Set(['AWS::IAM::ManagedPolicy', 'AWS::S3::BucketPolicy', 'AWS::Backup::BackupSelection', 'AWS::IAM::Policy']);

describe('BaselineStack', () => {
  const built = baselineStack({ extraTags: { Organization: 'example', ManagedBy: 'someone-else' } });

  test('exports nothing: other stacks use deterministic names', () => {
    expect(Object.values<any>(built.json.Outputs ?? {}).filter(o => o.Export)).toEqual([]);
  });

  test('is termination-protected and named from the contract', () => {
    expect(built.stack.terminationProtection).toBe(true);
    expect(built.stack.stackName).toBe('springboard-baseline-222222222222-us-east-1');
  });

  test('every taggable resource is ManagedBy springboard; platform tags cannot override it', () => {
    for (const resource of Object.values<any>(built.json.Resources)) {
      if (UNTAGGABLE.has(resource.Type)) continue;
      expect(tagsOf(resource)).toEqual(expect.objectContaining({ ManagedBy: 'springboard', Organization: 'example' }));
    }
  });

  test('snapshot', () => {
    expect(normalized(built.json)).toMatchSnapshot();
  });
});
