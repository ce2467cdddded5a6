/**
 * Synthesis of one registry into a cloud assembly, in this process, the way `cdk synth` does it:
 * with the compliance gate and the quota check for the pull request's registry, without them for the
 * approved one (it is only compared with). A failed gate stops CDK's synth; its report is read back.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildPlatform } from '../app';
import { applyQuotaCheck } from '../app/quota-check';
import { applyComplianceGate } from '../compliance';
import { ComplianceReport, readReport } from '../compliance/report';
import { createApp } from '../construct-kit/springboard-app';
import { COMPLIANCE_REPORT_FILE } from '../contract';
import { loadRegistry } from '../registry';

export interface SynthesisResult {
  readonly assembly: string;
  /** The gate's report (undefined when the gate was not applied). */
  readonly gate?: ComplianceReport;
  /** Why synthesis stopped (a failed gate or quota check), one line per reason. */
  readonly errors: readonly string[];
}

export interface SynthesizeOptions {
  readonly gate: boolean;
  /** Where the gate's progress lines go. @default - nowhere */
  readonly log?: (line: string) => void;
}

export function synthesizeRegistry(registryDir: string, outdir: string, options: SynthesizeOptions): SynthesisResult {
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = createApp({ outdir });
  buildPlatform(app, loadRegistry(registryDir));
  const log = options.log ?? (() => undefined);
  if (options.gate) applyComplianceGate(app, { log });
  const errors: string[] = [];
  applyQuotaCheck(app, { log: line => (line.includes(': error: ') ? errors.push(line) : log(line)) });
  try {
    app.synth();
  } catch (e) {
    // CDK throws after its validation plugins report; the gate's own report says why in detail.
    errors.push(firstLine((e as Error).message));
  }
  const gate = options.gate && fs.existsSync(path.join(outdir, COMPLIANCE_REPORT_FILE)) ? readReport(outdir) : undefined;
  return { assembly: outdir, gate, errors };
}

function firstLine(text: string): string {
  return text.split('\n').find(l => l.trim() !== '')?.trim() ?? text;
}
