/**
 * The platform's buildspecs. They are inline in the CodeBuild projects, never read from the team's
 * repository, so no commit can remove the image scan, the SBOM or the checks on the deploy
 * artifact. Read as an attacker with push rights to one team's repository would:
 * - the source is copied before anything runs; the image is built from that copy, which the tests
 *   see read-only as a non-root user, and which must be unchanged when the image is built;
 * - nested containers (tests, Dockerfile steps) cannot reach the credentials endpoints, and a probe
 *   container proves it before the team's code runs;
 * - every image and tool is pinned by digest or SHA-256 (pins.ts);
 * - the deploy artifact is written only after the team's code has exited, from what ECR holds.
 */
import {
  assumeDeployRoleLines, BUILD_COMMANDS, BUILD_OUTPUTS, MIGRATE_MANIFEST_KEY, REPOSITORY_MANIFEST_FILE, REQUIRED_REPOSITORY_FILES,
  SERVICE_CONTAINER_NAME, TEST_REPORT_DIRECTORY, TEST_REPORT_FILE,
} from '../contract';

/** Directory (in the source checkout) the build writes its outputs to, emptied first. */
export const BUILD_OUTPUT_DIRECTORY = '.springboard-out';

/**
 * Where the build keeps what the team's code must not touch (source snapshot, syft, image digest,
 * scan summary): outside the checkout, never mounted into a container except the snapshot, read-only.
 */
export const BUILD_WORK_DIRECTORY = '/tmp/springboard-build';

/** The test container: where the snapshot and the report directory are mounted, and the user it runs as. */
export const TEST_CONTAINER = {
  source: '/src',
  reports: '/reports',
  /** uid:gid of `node` in the official Node.js images; numeric, so it needs no user database. */
  user: '1000:1000',
  home: '/tmp/home',
  work: '/tmp/work',
} as const;

/**
 * Link-local credentials endpoints a nested container must not reach: CodeBuild's container
 * credentials endpoint (ECS-style) and the EC2 instance metadata service.
 */
export const CREDENTIAL_ENDPOINTS = ['169.254.170.2', '169.254.169.254'] as const;

/**
 * What the build exports to the pipeline (CodeBuild `exported-variables`), for the Migrate step: the
 * released image by digest, and the repository's migrate command as base64 of its JSON array (a
 * pipeline variable cannot carry quotes into the action's JSON parameters), empty when it sets none.
 */
export const BUILD_VARIABLES = { imageUri: 'IMAGE_URI', migrateCommand: 'MIGRATE_COMMAND' } as const;

/** Environment variables the build project sets; COMMIT_ID comes from the pipeline's source variables. */
export interface ServiceBuildSpecOptions {
  readonly reportGroupArn: string;
}

/** Runs a script in a strict subshell, so one failing line fails the phase and nothing leaks between steps. */
function strict(lines: readonly string[]): string {
  return ['(', 'set -euo pipefail', ...lines, ')'].join('\n');
}

const SOURCE = '"$SPRINGBOARD_WORK/source"';
const SYFT = '"$SPRINGBOARD_WORK/bin/syft"';

/** Every entry of the snapshot (type, mode, path, link target) and every file's SHA-256, in a stable order. */
const sourceManifest = `(cd ${SOURCE} && find . -printf '%y %m %p %l\\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)`;

/**
 * First command of the build, before any tool or team code runs: a read-only copy of the source
 * artifact and its manifest. Everything after reads the copy; the checkout keeps only the outputs.
 */
const snapshotSource = strict([
  'rm -rf "$SPRINGBOARD_WORK" && mkdir -p "$SPRINGBOARD_WORK/bin"',
  `cp -a "$CODEBUILD_SRC_DIR/." ${SOURCE}`,
  `chmod -R a-w ${SOURCE}`,
  `${sourceManifest} > "$SPRINGBOARD_WORK/source.manifest"`,
  // Only the platform writes these; whatever the commit holds there is dropped.
  `rm -rf "$CODEBUILD_SRC_DIR/${BUILD_OUTPUT_DIRECTORY}" "$CODEBUILD_SRC_DIR/${TEST_REPORT_DIRECTORY}"`,
  'echo "source snapshot: $(grep -c "" "$SPRINGBOARD_WORK/source.manifest") manifest lines"',
]);

/**
 * Nested containers reach the network through the build container's FORWARD chain, which Docker
 * sends through DOCKER-USER first and never flushes; the build's own commands (OUTPUT) keep the
 * endpoint. Path secrecy of the credentials URI is then no longer what protects the build role.
 */
const blockCredentialEndpoints = strict([
  'iptables -N DOCKER-USER 2>/dev/null || true',
  ...CREDENTIAL_ENDPOINTS.map(a => `iptables -I DOCKER-USER 1 -d ${a}/32 -j REJECT`),
  ...CREDENTIAL_ENDPOINTS.map(a => `iptables -C DOCKER-USER -d ${a}/32 -j REJECT`),
  `echo "nested containers: ${CREDENTIAL_ENDPOINTS.join(' and ')} rejected"`,
]);

/** syft, pinned: the archive must have the SHA-256 written in Springboard's code (pins.ts), or it is not installed. */
const installSyft = strict([
  'cd "$SPRINGBOARD_WORK"',
  'echo "$SYFT_SHA256" | grep -Eq \'^[0-9a-f]{64}$\' || { echo "SYFT_SHA256 must be the pinned SHA-256 of the syft archive, received \\"$SYFT_SHA256\\""; exit 1; }',
  'file="syft_${SYFT_VERSION}_linux_amd64.tar.gz"',
  'curl -sSfL --retry 3 -o "$file" "https://github.com/anchore/syft/releases/download/v${SYFT_VERSION}/$file"',
  'echo "$SYFT_SHA256  $file" | sha256sum --check --strict - || { echo "syft download refused: $file does not have the pinned SHA-256 $SYFT_SHA256"; exit 1; }',
  `tar -xzf "$file" syft && install -m 0755 syft ${SYFT} && rm -f syft "$file" && ${SYFT} version`,
]);

const checkContract = strict([
  `cd ${SOURCE}`,
  ...REQUIRED_REPOSITORY_FILES.map(f => `[ -f ${f} ] || { echo "repository contract: ${f} is missing at the repository root (see docs/repository-contract.md)"; exit 1; }`),
  `team=$(jq -r '.teamId // empty' ${REPOSITORY_MANIFEST_FILE})`,
  `[ "$team" = "$TEAM_ID" ] || { echo "${REPOSITORY_MANIFEST_FILE}: teamId is \\"$team\\", expected \\"$TEAM_ID\\" (this pipeline builds only its own team's repository)"; exit 1; }`,
  'echo "$COMMIT_ID" | grep -Eq \'^[0-9a-f]{40}([0-9a-f]{24})?$\' || { echo "COMMIT_ID must be a git commit id, received \\"$COMMIT_ID\\""; exit 1; }',
  `jq -e '.${MIGRATE_MANIFEST_KEY} == null or (.${MIGRATE_MANIFEST_KEY} | type == "array" and length > 0 and all(type == "string"))' ${REPOSITORY_MANIFEST_FILE} >/dev/null`
    + ` || { echo "${REPOSITORY_MANIFEST_FILE}: ${MIGRATE_MANIFEST_KEY} must be a non-empty array of strings (exec form), like [\\"npm\\", \\"run\\", \\"migrate\\"]; received $(jq -c '.${MIGRATE_MANIFEST_KEY}' ${REPOSITORY_MANIFEST_FILE})"; exit 1; }`,
]);

const ecrLogin = 'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"';

/**
 * Run in the test image before the team's code: prints "blocked" when no credentials endpoint
 * accepts a connection, else "reachable" and the addresses. Double quotes only (it sits in '...').
 */
export const CREDENTIALS_PROBE = 'const net=require("net");const hosts=' + JSON.stringify(CREDENTIAL_ENDPOINTS) + ';const open=[];let left=hosts.length;'
  + 'for(const host of hosts){const s=net.connect({host,port:80});let done=false;s.setTimeout(3000);'
  + 'const end=(ok)=>{if(done)return;done=true;if(ok)open.push(host);s.destroy();if(--left===0)console.log(open.length?"reachable "+open.join(" "):"blocked");};'
  + 's.once("connect",()=>end(true));s.once("timeout",()=>end(false));s.once("error",()=>end(false));}';

const c = TEST_CONTAINER;
const REPORT_NAME = TEST_REPORT_FILE.slice(TEST_REPORT_DIRECTORY.length + 1);
/** Inside the test container: a writable copy of the read-only snapshot, the contract's commands, the report out. */
const testScript = [
  // The report must come from this run, not from the commit.
  `mkdir -p ${c.home} ${c.work} && cp -R ${c.source}/. ${c.work} && chmod -R u+w ${c.work} && cd ${c.work} && rm -rf ${TEST_REPORT_DIRECTORY}`,
  ` && ${BUILD_COMMANDS.install} && ${BUILD_COMMANDS.test}; status=$?;`,
  ` if [ -f ${TEST_REPORT_FILE} ]; then cp ${TEST_REPORT_FILE} ${c.reports}/; fi; exit $status`,
].join('');
const containerHardening = `--network bridge --user ${c.user} --cap-drop ALL --security-opt no-new-privileges`;

/**
 * The team's tests: in a throwaway container of the pinned test image, as a non-root user, with a
 * read-only view of the snapshot and no AWS credentials (none passed, the endpoints rejected).
 */
const runTests = strict([
  'case "$TEST_IMAGE" in *@sha256:*) ;; *) echo "TEST_IMAGE must be pinned by digest, received \\"$TEST_IMAGE\\""; exit 1 ;; esac',
  `probe=$(docker run --rm ${containerHardening} "$TEST_IMAGE" node -e '${CREDENTIALS_PROBE}')`,
  '[ "$probe" = blocked ] || { echo "credentials endpoint check: a container got through ($probe); the team\'s code does not run"; exit 1; }',
  'echo "credentials endpoint check: $probe"',
  'reports="$SPRINGBOARD_WORK/reports"',
  `rm -rf "$reports" && mkdir -p "$reports" && chown ${c.user} "$reports"`,
  'status=0',
  `docker run --rm ${containerHardening} -e CI=true -e HOME=${c.home} -v "$SPRINGBOARD_WORK/source:${c.source}:ro" -v "$reports:${c.reports}" -w /tmp "$TEST_IMAGE" sh -c '${testScript}' || status=$?`,
  // A regular file only: a link planted by the tests must not make the build read its own files.
  `if [ -f "$reports/${REPORT_NAME}" ] && [ ! -L "$reports/${REPORT_NAME}" ]; then mkdir -p ${TEST_REPORT_DIRECTORY} && cp "$reports/${REPORT_NAME}" ${TEST_REPORT_FILE}; fi`,
  '[ "$status" -eq 0 ] || { echo "tests failed (exit $status)"; exit "$status"; }',
  `[ -f ${TEST_REPORT_FILE} ] || { echo "repository contract: ${BUILD_COMMANDS.test} must write JUnit XML to ${TEST_REPORT_FILE}"; exit 1; }`,
]);

/** The image is built from the snapshot, which must be exactly what was copied; tags are immutable, so a retried commit reuses its image. */
const buildAndPush = strict([
  `${sourceManifest} | cmp -s - "$SPRINGBOARD_WORK/source.manifest" || { echo "the source snapshot changed after it was taken; the image is not built"; exit 1; }`,
  'image="$REPOSITORY_URI:$COMMIT_ID"',
  'if aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$COMMIT_ID" >/dev/null 2>&1; then',
  '  echo "$image exists (tags are immutable): reusing it"',
  'else',
  `  docker build --pull --label "org.opencontainers.image.revision=$COMMIT_ID" -t "$image" ${SOURCE}`,
  '  docker push "$image"',
  'fi',
  'aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$COMMIT_ID" --query "imageDetails[0].imageDigest" --output text > "$SPRINGBOARD_WORK/image-digest"',
  'grep -Eq \'^sha256:[0-9a-f]{64}$\' "$SPRINGBOARD_WORK/image-digest" || { echo "ECR returned no digest for $image"; exit 1; }',
  'echo "pushed $image ($(cat "$SPRINGBOARD_WORK/image-digest"))"',
]);

/** Findings of the blocking severities: ECR's counts (basic scan), else the enhanced findings (Inspector). */
const BLOCKING_COUNT = '($s | split(",")) as $b | (.imageScanFindings.findingSeverityCounts // {}) as $c | if ($c | length) > 0'
  + ' then ([$c | to_entries[] | select(.key as $k | $b | index($k)) | .value] | add // 0)'
  + ' else ([(.imageScanFindings.enhancedFindings // [])[] | select(.severity as $v | $b | index($v))] | length) end';

/** Scan statuses after which no result will come. */
const SCAN_FAILURES = ['FAILED', 'UNSUPPORTED_IMAGE', 'FINDINGS_UNAVAILABLE', 'SCAN_ELIGIBILITY_EXPIRED', 'LIMIT_EXCEEDED', 'IMAGE_ARCHIVED'];

/**
 * The scan gate, closed by default: the registry must scan the way the platform says (basic or
 * enhanced), the pushed image must have a completed scan with a findings document, and no finding
 * of a blocking severity; anything else (no result in time, a failed scan) stops the build.
 */
const scanGate = strict([
  'configured=$(aws ecr get-registry-scanning-configuration --query scanningConfiguration.scanType --output text)',
  '[ "$configured" = "$EXPECTED_SCAN_TYPE" ] || { echo "image scan: the registry scans with ${configured:-nothing}, the platform expects $EXPECTED_SCAN_TYPE (imageScanning in _platform.yaml): deploy the tooling baseline"; exit 1; }',
  'deadline=$(( $(date +%s) + SCAN_TIMEOUT_SECONDS ))',
  'while :; do',
  '  if findings=$(aws ecr describe-image-scan-findings --repository-name "$REPOSITORY_NAME" --image-id imageTag="$COMMIT_ID" --output json 2>/dev/null); then',
  '    status=$(jq -r ".imageScanStatus.status" <<<"$findings")',
  '  else status=PENDING; fi',
  '  case "$status" in',
  '    COMPLETE|ACTIVE) break ;;',
  `    ${SCAN_FAILURES.join('|')}) echo "image scan: $status; the image cannot be released without a scan result"; exit 1 ;;`,
  '  esac',
  '  [ "$(date +%s)" -lt "$deadline" ] || { echo "image scan: no result after ${SCAN_TIMEOUT_SECONDS} s (status $status)"; exit 1; }',
  '  sleep "${SCAN_POLL_SECONDS:-15}"',
  'done',
  'jq -e \'.imageScanFindings | type == "object"\' <<<"$findings" >/dev/null || { echo "image scan: $status without a findings document; the image is not released"; exit 1; }',
  'jq "{status: .imageScanStatus, counts: .imageScanFindings.findingSeverityCounts}" <<<"$findings" | tee "$SPRINGBOARD_WORK/scan-summary.json"',
  `blocked=$(jq --arg s "$BLOCKING_SEVERITIES" '${BLOCKING_COUNT}' <<<"$findings")`,
  '[ "$blocked" -eq 0 ] || { echo "image scan: $blocked finding(s) of severity $BLOCKING_SEVERITIES in $REPOSITORY_URI:$COMMIT_ID; update the base image or the dependencies and push again"; exit 1; }',
  'echo "image scan ($configured): no finding of severity $BLOCKING_SEVERITIES"',
]);

/** Deploy artifact: written by the platform after the team's code has exited, from what ECR holds and the snapshot. */
const writeOutputs = strict([
  `rm -rf ${BUILD_OUTPUT_DIRECTORY} && mkdir -p ${BUILD_OUTPUT_DIRECTORY}`,
  'digest=$(cat "$SPRINGBOARD_WORK/image-digest")',
  `${SYFT} scan "registry:$REPOSITORY_URI@$digest" -o "cyclonedx-json=${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.sbom}"`,
  // Deploys refer to the image by digest (docs/repository-contract.md); the release record keeps the tag.
  `jq -n --arg name ${SERVICE_CONTAINER_NAME} --arg uri "$REPOSITORY_URI@$digest" '[{name: $name, imageUri: $uri}]' > ${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.imageDefinitions}`,
  'jq -n --arg team "$TEAM_ID" --arg commit "$COMMIT_ID" --arg repo "$REPOSITORY_URI" --arg digest "$digest" --arg build "$CODEBUILD_BUILD_ID"'
    + ` --arg sbom ${BUILD_OUTPUTS.sbom} --slurpfile scan "$SPRINGBOARD_WORK/scan-summary.json" --argjson template "$(jq -c '.template // null' ${SOURCE}/${REPOSITORY_MANIFEST_FILE})"`
    + ' \'{schemaVersion: 1, teamId: $team, commitId: $commit, imageTag: $commit, imageUri: ($repo + "@" + $digest),'
    + ' imageDigest: $digest, buildId: $build, sbom: $sbom, scan: $scan[0], template: $template}\''
    + ` > ${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.release}`,
  `cat ${BUILD_OUTPUT_DIRECTORY}/${BUILD_OUTPUTS.release}`,
  // For the Migrate step: the image by digest, and the migrate command from the snapshot (never from a file the tests could write).
  'printf %s "$REPOSITORY_URI@$digest" > "$SPRINGBOARD_WORK/image-uri"',
  `jq -c '.${MIGRATE_MANIFEST_KEY} // empty' ${SOURCE}/${REPOSITORY_MANIFEST_FILE} | tr -d '\\n' | base64 -w0 > "$SPRINGBOARD_WORK/migrate-command"`,
]);

/** Outside a subshell, so CodeBuild sees the values at the end of the build and exports them to the pipeline. */
const exportVariables = `export ${BUILD_VARIABLES.imageUri}="$(cat "$SPRINGBOARD_WORK/image-uri")" ${BUILD_VARIABLES.migrateCommand}="$(cat "$SPRINGBOARD_WORK/migrate-command")"`;

/**
 * The build: source snapshot, credentials endpoints blocked, syft; contract check; tests (JUnit to a
 * CodeBuild report), image from the snapshot, scan gate, SBOM, deploy artifact.
 */
export function serviceBuildSpec(options: ServiceBuildSpecOptions): Record<string, unknown> {
  return {
    version: '0.2',
    env: { 'shell': 'bash', 'variables': { SPRINGBOARD_WORK: BUILD_WORK_DIRECTORY }, 'exported-variables': Object.values(BUILD_VARIABLES) },
    phases: {
      install: { commands: [snapshotSource, blockCredentialEndpoints, installSyft] },
      pre_build: { commands: [checkContract, ecrLogin] },
      build: { commands: [runTests, buildAndPush, scanGate, writeOutputs, exportVariables] },
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

/** Options of the pull-request build: its report group, and whether it comments on a CodeCommit pull request. */
export interface PullRequestBuildSpecOptions extends ServiceBuildSpecOptions {
  /** CodeCommit has no build status on pull requests: the build posts its verdict as a comment. */
  readonly commentOnCodeCommit: boolean;
}

/**
 * CodeCommit pull requests: the verdict as a comment, posted by the platform after the team's code
 * has exited (post_build runs whether the build passed or failed). The event rule passes the ids.
 */
const commentOnPullRequest = strict([
  'if [ "${CODEBUILD_BUILD_SUCCEEDING:-0}" = 1 ]; then verdict=passed; else verdict=failed; fi',
  'aws codecommit post-comment-for-pull-request --pull-request-id "$PULL_REQUEST_ID" --repository-name "$SOURCE_REPOSITORY"'
    + ' --before-commit-id "$DESTINATION_COMMIT" --after-commit-id "$COMMIT_ID"'
    + ' --content "Springboard pull-request check $verdict for $COMMIT_ID: tests, image build, scan gate, SBOM (no deploy). Build: $CODEBUILD_BUILD_URL"',
]);

/**
 * A pull request's build: the same controls and steps as the pipeline's build (snapshot, blocked
 * credentials endpoints, tests, image, scan gate, SBOM) on the pull request's head commit, with no
 * deploy artifact: nothing is uploaded and no pipeline consumes it.
 */
export function pullRequestBuildSpec(options: PullRequestBuildSpecOptions): Record<string, unknown> {
  const spec = serviceBuildSpec(options) as { phases: Record<string, { commands: string[] }> };
  const { artifacts: _none, ...rest } = spec as Record<string, unknown>;
  return {
    ...rest,
    phases: {
      ...spec.phases,
      // The head commit CodeBuild checked out (webhook) or was started on (CodeCommit event).
      install: { commands: ['export COMMIT_ID="$CODEBUILD_RESOLVED_SOURCE_VERSION"', ...spec.phases.install.commands] },
      ...(options.commentOnCodeCommit ? { post_build: { commands: [commentOnPullRequest] } } : {}),
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
  ...assumeDeployRoleLines('verify-$ENVIRONMENT_NAME-$CODEBUILD_BUILD_NUMBER'),
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
  // The description carries the release's metadata (template version, digest) for `springboard fleet scorecard`.
  `aws ssm put-parameter --name "$RELEASE_PARAMETER" --type String --value "$tag" --description "$(jq -c '{schemaVersion, template, imageDigest, commitId}' ${BUILD_OUTPUTS.release})" --overwrite >/dev/null`,
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
