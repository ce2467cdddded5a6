/** What every check of one account and region is given. */
import type { Send } from './types';
import type { Redactor } from '../fleet/errors';

export interface PlaceContext {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** Reads with the account's reader, in `region` unless another region is named. */
  readonly send: Send;
  /** Reads in another region of the same account (account-wide APIs live in one region). */
  readonly sendIn: (region: string) => Send;
  readonly redactor: Redactor;
}
