/** A mistake by the person running the audit (wrong folder, missing baseline): printed without a stack trace. */
export class AuditError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'AuditError';
  }
}
