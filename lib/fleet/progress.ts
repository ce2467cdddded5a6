/**
 * Progress on stderr for long runs: a line rewritten in place on a terminal; on a pipe or log
 * file, a few lines for large fleets only, so that short runs stay quiet.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Fleets at least this large report progress even when stderr is not a terminal. */
export const PROGRESS_THRESHOLD = 50;

export interface Progress {
  readonly update: (done: number, total: number) => void;
  readonly finish: () => void;
}

/** `unit` names what is counted: pipelines for status and metrics, teams for the portfolio commands. */
export function progressReporter(stream: ProgressStream, total: number, label: string, unit = 'pipelines'): Progress {
  const silent = { update: () => undefined, finish: () => undefined };
  if (stream.isTTY) {
    if (total < 2) return silent;
    let shown = false;
    return {
      update: (done) => {
        shown = true;
        stream.write(`\r${label}: ${done}/${total} ${unit} read`);
      },
      finish: () => {
        if (shown) stream.write('\r\x1b[2K');
      },
    };
  }
  if (total < PROGRESS_THRESHOLD) return silent;
  let lastQuarter = 0;
  return {
    update: (done) => {
      const quarter = Math.floor((done * 4) / total);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stream.write(`${label}: ${done}/${total} ${unit} read\n`);
      }
    },
    finish: () => undefined,
  };
}
