import { InvalidInputError } from '../contract/command';

/** A mistake by the person running the audit (wrong folder, missing baseline): printed without a stack trace, exit 1. */
export class AuditError extends InvalidInputError {}
