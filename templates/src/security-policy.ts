import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import type { TeamSettings } from './team-settings';

export interface SecurityPolicyOptions {
  readonly team: TeamSettings;
}

/** SECURITY.md: how to report a vulnerability, and what the platform and the team each secure. */
export class SecurityPolicy extends Component {
  constructor(project: Project, options: SecurityPolicyOptions) {
    super(project);
    new ManagedFile(project, 'SECURITY.md', { comment: 'html', contents: render(options.team) });
  }
}

function render(team: TeamSettings): string {
  const reportTo = [team.onCall, team.owner].filter((c) => c !== undefined).map((c) => `${c.name} <${c.email}>`);
  const classification = team.dataClassification
    ? `This service is registered at FIPS 199 impact level **${team.dataClassification}**; handle its data accordingly.`
    : 'The service\'s FIPS 199 impact level is recorded in its Springboard registry entry.';
  return `# Security policy

## Reporting a vulnerability

Do not open a public issue or pull request. Write to ${reportTo.length ? reportTo.join(' and ') : 'the team\'s on-call contact in the Springboard registry'}
with what you found, how to reproduce it and what it exposes. You get an answer within two working days.

${classification}

## What the platform provides

Springboard deploys this service with controls the team does not have to build (NIST SP 800-53 rev 5):

- Least privilege (AC-6): every role of the team carries the platform's permissions boundary.
- Audit logs kept (AU-2, AU-11): service logs go to CloudWatch Logs and are kept 30 months in all (OMB M-21-31).
- Baseline configuration (CM-2): this repository's platform-owned files, the Dockerfile and the pipeline come from reviewed templates.
- Encryption in transit and at rest (SC-8, SC-13, SC-28): HTTPS at the load balancer in production, encrypted storage and logs.
- Backups (CP-9) of the team's database, when it has one.

## What the team is responsible for

- No secrets in the repository, the image or the logs; no personal data in logs.
- Dependencies kept current (\`npx projen upgrade\`) and the template kept current (see README.md).
- Code review of every change by the owners in CODEOWNERS.
- Input validation and authorization in the service's own code.

Only the version running in production is supported; fixes ship through the pipeline like any change.
`;
}
