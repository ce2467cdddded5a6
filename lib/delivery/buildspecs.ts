/**
 * The platform's buildspecs. They are inline in the CodeBuild projects, never read from the team's
 * repository, so no commit can remove the image scan, the SBOM or the checks on the deploy
 * artifact. The team's own code (tests, Dockerfile) runs inside containers without the build's
 * credentials, and the deploy artifact is written only after it has exited.
 */
import {
  BUILD_COMMANDS, BUILD_OUTPUTS, REPOSITORY_MANIFEST_FILE, REQUIRED_REPOSITORY_FILES, SERVICE_CONTAINER_NAME, TEST_REPORT_DIRECTORY,
  TEST_REPORT_FILE,
} from '../contract';

/** Directory (in the source checkout) the build writes its outputs to, emptied first. */
export const BUILD_OUTPUT_DIRECTORY = '.springboard-out';

/** Environment variables the build project sets; COMMIT_ID comes from the pipeline's source variables. */
export interface ServiceBuildSpecOptions {
  readonly reportGroupArn: string;
}

/** Runs a script in a strict subshell, so one failing line fails the phase and nothing leaks between steps. */
function strict(lines: readonly string[]): string {
  return ['(', 'set -euo pipefail', ...lines, ')'].join('\n');
}

const checkContract = strict([
  ...REQUIRED_REPOSITORY_FILES.map(f => `[ -f ${f} ] || { echo "repository contract: ${f} is missing at the repository root (see docs/repository-contract.md)"; exit 1; }`),
  `team=$(jq -r '.teamId // empty' ${REPOSITORY_MANIFEST_FILE})`,
  `[ "$team" = "$TEAM_ID" ] || { echo "${REPOSITORY_MANIFEST_FILE}: teamId is \\"$team\\", expected \\"$TEAM_ID\\" (this pipeline builds only its own team's repository)"; exit 1; }`,
  'echo "$COMMIT_ID" | grep -Eq \'^[0-9a-f]{40}([0-9a-f]{24})?$\' || { echo "COMMIT_ID must be a git commit id, received \\"$COMMIT_ID\\""; exit 1; }',
]);

/** syft, pinned, checked against the release's checksums (and a pinned digest when one is configured). */
const installSyft = strict([
  'cd /tmp',
  'file="syft_${SYFT_VERSION}_linux_amd64.tar.gz"',
  'base="https://github.com/anchore/syft/releases/download/v${SYFT_VERSION}"',
  'curl -sSfL --retry 3 -o "$file" "$base/$file"',
  'curl -sSfL --retry 3 -o syft_checksums.txt "$base/syft_${SYFT_VERSION}_checksums.txt"',
  'sha256sum --check --ignore-missing --strict syft_checksums.txt | grep -q "$file: OK"',
  'if [ -n "${SYFT_SHA256:-}" ]; then echo "$SYFT_SHA256  $file" | sha256sum --check --strict -; fi',
  'tar -xzf "$file" syft && install -m 0755 syft /usr/local/bin/syft && syft version',
]);

const ecrLogin = 'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"';

/** The team's tests, in a throwaway container that has the source but not the build's credentials. */
const runTests = strict([
  `rm -rf ${TEST_REPORT_DIRECTORY}`,
  `docker run --rm -e CI=true -v "$PWD:/src" -w /src "$TEST_IMAGE" sh -c '${BUILD_COMMANDS.install} && ${BUILD_COMMANDS.test}'`,
  `[ -f ${TEST_REPORT_FILE} ] || { echo "repository contract: ${BUILD_COMMANDS.test} must write JUnit XML to ${TEST_REPORT_FILE}"; exit 1; }`,
]);

/** Tags are immutable: a commit already built (a retried execution) reuses its image. */
const buildAndPush = strict([
  'image="$REPOSITORY_URI:$COMMIT_ID"',
  'if aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$COMMIT_ID" >/dev/null 2>&1; then',
  '  echo "$image exists (tags are immutable): reusing it"',
  'else',
  '  docker build --pull --label "org.opencontainers.image.revision=$COMMIT_ID" -t "$image" .',
  '  docker push "$image"',
  'fi',
  'aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$COMMIT_ID" --query "imageDetails[0].imageDigest" --output text > /tmp/image-digest',
  'echo "pushed $image ($(cat /tmp/image-digest))"',
]);

/** Findings of the blocking severities: ECR's counts (basic scan), else the enhanced findings (Inspector). */
const BLOCKING_COUNT = '($s | split(",")) as $b | (.imageScanFindings.findingSeverityCounts // {}) as $c | if ($c | length) > 0'
  + ' then ([$c | to_entries[] | select(.key as $k | $b | index($k)) | .value] | add // 0)'
  + ' else ([(.imageScanFindings.enhancedFindings // [])[] | select(.severity as $v | $b | index($v))] | length) end';

/**
 * The scan gate: waits for ECR's scan of the pushed image (basic scan on push, or enhanced scanning
 * when the registry has it) and fails on any finding of a blocking severity.
 */
const scanGate = strict([
  'deadline=$(( $(date +%s) + SCAN_TIMEOUT_SECONDS ))',
  'while :; do',
  '  if findings=$(aws ecr describe-image-scan-findings --repository-name "$REPOSITORY_NAME" --image-id imageTag="$COMMIT_ID" --output json 2>/dev/null); then',
  '    status=$(jq -r ".imageScanStatus.status" <<<"$findings")',
  '  else status=PENDING; fi',
  '  case "$status" in',
  '    COMPLETE|ACTIVE) break ;;',
  '    FAILED|UNSUPPORTED_IMAGE|FINDINGS_UNAVAILABLE|SCAN_ELIGIBILITY_EXPIRED) echo "image scan: $status; the image cannot be released without a scan result"; exit 1 ;;',
  '  esac',
  '  [ "$(date +%s)" -lt "$deadline" ] || { echo "image scan: no result after ${SCAN_TIMEOUT_SECONDS} s (status $status)"; exit 1; }',
  '  sleep 15',
  'done',
  'jq "{status: .imageScanStatus, counts: .imageScanFindings.findingSeverityCounts}" <<<"$findings" | tee /tmp/scan-summary.json',
  `blocked=$(jq --arg s "$BLOCKING_SEVERITIES" '${BLOCKING_COUNT}' <<<"$findings")`,
  '[ "$blocked" -eq 0 ] || { echo "image scan: $blocked finding(s) of severity $BLOCKING_SEVERITIES in $REPOSITORY_URI:$COMMIT_ID; update the base image or the dependencies and push again"; exit 1; }',
  'echo "image scan: no finding of severity $BLOCKING_SEVERITIES"',
]);

/** Deploy artifact: written by the platform after the team's code has exited, from what ECR holds. */
const writeOutputs = strict([
  `rm -rf ${BUILD_OUTPUT_DIRECTORY} && mkdir -p ${BUILD_OUTPUT_DIRECTORY}`,
  'digest=$(cat /tmp/image-digest)',
  `syft scan "registry:$REPOSITORY_URI@$digest" -o "cyclonedx-json=${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.sbom}"`,
  // Deploys refer to the image by digest (docs/repository-contract.md); the release record keeps the tag.
  `jq -n --arg name ${SERVICE_CONTAINER_NAME} --arg uri "$REPOSITORY_URI@$digest" '[{name: $name, imageUri: $uri}]' > ${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.imageDefinitions}`,
  'jq -n --arg team "$TEAM_ID" --arg commit "$COMMIT_ID" --arg repo "$REPOSITORY_URI" --arg digest "$digest" --arg build "$CODEBUILD_BUILD_ID"'
    + ` --arg sbom ${BUILD_OUTPUTS.sbom} --slurpfile scan /tmp/scan-summary.json --argjson template "$(jq -c '.template // null' ${REPOSITORY_MANIFEST_FILE})"`
    + ' \'{schemaVersion: 1, teamId: $team, commitId: $commit, imageTag: $commit, imageUri: ($repo + "@" + $digest),'
    + ' imageDigest: $digest, buildId: $build, sbom: $sbom, scan: $scan[0], template: $template}\''
    + ` > ${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.release}`,
  `cat ${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.release}`,
]);

/** The build: contract check, tests (JUnit to a CodeBuild report), image, scan gate, SBOM, deploy artifact. */
export function serviceBuildSpec(options: ServiceBuildSpecOptions): Record<string, unknown> {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: { commands: [installSyft] },
      pre_build: { commands: [checkContract, ecrLogin] },
      build: { commands: [runTests, buildAndPush, scanGate, writeOutputs] },
    },
    reports: {
      [options.reportGroupArn]: { 'files': ['**/*.xml'], 'base-directory': TEST_REPORT_DIRECTORY, 'file-format': 'JUNITXML' },
    },
    artifacts: {
      'base-directory': BUILD_OUTPUT_DIRECTORY,
      'files': [BUILD_OUTPUTS.imageDefinitions, BUILD_OUTPUTS.release, BUILD_OUTPUTS.sbom],
    },
  };
}

/**
 * Verify one environment after the Deploy action (ECS) rolled the image out: the service runs
 * exactly the built image, a first release gets its tasks, every target is healthy, the health
 * path answers through the load balancer (over TLS checked against the listener's certificate
 * where there is one), and only then is the release recorded, so a platform deploy restores it.
 */
const verifyEnvironment = strict([
  `image=$(jq -r '.[] | select(.name == "${SERVICE_CONTAINER_NAME}") | .imageUri' ${BUILD_OUTPUTS.imageDefinitions})`,
  'case "$image" in "$REPOSITORY_URI@sha256:"*) ;; *) echo "imagedefinitions.json names \\"$image\\", expected an image of $REPOSITORY_URI by digest"; exit 1 ;; esac',
  `tag=$(jq -r .imageTag ${BUILD_OUTPUTS.release})`,
  `[ "$(jq -r .imageUri ${BUILD_OUTPUTS.release})" = "$image" ] || { echo "${BUILD_OUTPUTS.release} and ${BUILD_OUTPUTS.imageDefinitions} name different images"; exit 1; }`,
  'echo "$tag" | grep -Eq \'^[0-9a-f]{40}([0-9a-f]{24})?$\' || { echo "image tag \\"$tag\\" is not a commit id"; exit 1; }',
  'creds=$(aws sts assume-role --role-arn "$DEPLOY_ROLE_ARN" --role-session-name "verify-$ENVIRONMENT_NAME-$CODEBUILD_BUILD_NUMBER" --query Credentials --output json)',
  'export AWS_ACCESS_KEY_ID=$(jq -r .AccessKeyId <<<"$creds") AWS_SECRET_ACCESS_KEY=$(jq -r .SecretAccessKey <<<"$creds") AWS_SESSION_TOKEN=$(jq -r .SessionToken <<<"$creds")',
  'export AWS_REGION="$TARGET_REGION" AWS_DEFAULT_REGION="$TARGET_REGION"',
  'service=$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query "services[0]" --output json)',
  `running=$(aws ecs describe-task-definition --task-definition "$(jq -r .taskDefinition <<<"$service")" --query "taskDefinition.containerDefinitions[?name=='${SERVICE_CONTAINER_NAME}'].image | [0]" --output text)`,
  '[ "$running" = "$image" ] || { echo "$SERVICE runs $running, not $image: another deploy changed the service meanwhile; run the pipeline again"; exit 1; }',
  'if [ "$(jq -r .desiredCount <<<"$service")" -eq 0 ]; then',
  '  echo "first release to $ENVIRONMENT_NAME: starting $DESIRED_COUNT task(s)"',
  '  aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count "$DESIRED_COUNT" >/dev/null',
  'fi',
  'aws ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"',
  'group=$(jq -r ".loadBalancers[0].targetGroupArn" <<<"$service")',
  'unhealthy=$(aws elbv2 describe-target-health --target-group-arn "$group" --query "length(TargetHealthDescriptions[?TargetHealth.State!=\'healthy\'])" --output text)',
  '[ "$unhealthy" -eq 0 ] || { echo "$unhealthy target(s) of $SERVICE are not healthy"; exit 1; }',
  'balancer=$(aws elbv2 describe-target-groups --target-group-arns "$group" --query "TargetGroups[0].LoadBalancerArns[0]" --output text)',
  'if [ "${LOAD_BALANCER_REACHABLE:-true}" = false ]; then',
  '  url="(not called: the load balancer of $ENVIRONMENT_NAME is internal or admits only its allowed ranges; its $DESIRED_COUNT healthy target(s) stand in)"',
  'else',
  'dns=$(aws elbv2 describe-load-balancers --load-balancer-arns "$balancer" --query "LoadBalancers[0].DNSName" --output text)',
  'connect=()',
  'if [ "$HTTPS" = true ]; then',
  '  # The certificate names the service, not the load balancer: connect to the balancer, verify TLS for the certificate\'s name.',
  '  name=$(openssl s_client -connect "$dns:443" -servername "$dns" </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName | grep -o "DNS:[^,]*" | head -1 | cut -d: -f2)',
  '  host="${name/#\\*./smoke.}"',
  '  url="https://$host$HEALTH_CHECK_PATH"; connect=(--connect-to "$host:443:$dns:443")',
  'else',
  '  url="http://$dns$HEALTH_CHECK_PATH"',
  'fi',
  'deadline=$(( $(date +%s) + SMOKE_TIMEOUT_SECONDS ))',
  'until code=$(curl -sS -o /tmp/health.out -w "%{http_code}" --max-time 10 "${connect[@]}" "$url") && [ "$code" -ge 200 ] && [ "$code" -lt 400 ]; do',
  '  [ "$(date +%s)" -lt "$deadline" ] || { echo "smoke check: $url answered ${code:-nothing} for ${SMOKE_TIMEOUT_SECONDS} s; the release is not healthy"; head -c 2000 /tmp/health.out || true; exit 1; }',
  '  sleep 10',
  'done',
  'echo "smoke check: $url answered $code"',
  'fi',
  'aws ssm put-parameter --name "$RELEASE_PARAMETER" --type String --value "$tag" --overwrite >/dev/null',
  'echo "released $tag to $ENVIRONMENT_NAME ($RELEASE_PARAMETER)"',
]);

/** The Verify action's buildspec (one project serves every environment; the action passes the target). */
export function verifyBuildSpec(): Record<string, unknown> {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: { build: { commands: [verifyEnvironment] } },
  };
}
