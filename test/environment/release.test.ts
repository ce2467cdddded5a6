import { environmentStack, resourcesOf } from './helpers';
import { releaseParameterName } from '../../lib/contract';
import { UNRELEASED } from '../../lib/environment';

/**
 * The first deploy of a new team must succeed before any image exists, and a platform deploy must
 * never revert what the team released.
 */
describe('ReleaseRecord', () => {
  const { json, template } = environmentStack({ environment: 'prod' });
  const parameterId = Object.keys(json.Parameters).find(k => k.startsWith('ReleaseImageTag'))!;
  const conditionId = Object.keys(json.Conditions).find(k => k.startsWith('ReleaseReleased'))!;

  test('reads the released tag from the team release record at every deploy', () => {
    expect(json.Parameters[parameterId]).toMatchObject({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: releaseParameterName('a', 'prod'),
    });
  });

  test('the platform never writes the release record', () => {
    template.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  test('first deploy: no task runs, so no image is pulled, until a release is recorded', () => {
    expect(json.Conditions[conditionId]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: parameterId }, UNRELEASED] }] });
    const service = Object.values<any>(resourcesOf(json, 'AWS::ECS::Service'))[0];
    expect(service.Properties.DesiredCount).toEqual({ 'Fn::If': [conditionId, 2, 0] });
  });

  test('the image is the released tag of the team repository in the tooling account, never a fixed tag', () => {
    const task = Object.values<any>(resourcesOf(json, 'AWS::ECS::TaskDefinition'))[0];
    const image = task.Properties.ContainerDefinitions[0].Image;
    expect(image).toEqual({ 'Fn::Join': ['', ['111111111111.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/springboard/a:', { Ref: parameterId }]] });
  });
});
