/** Progress lines for people (stderr); the command's result goes to stdout. */
export type Log = (line: string) => void;

export const silentLog: Log = () => undefined;

/**
 * A live status for long waits (cluster create/delete). The CLI draws it (lib/cli/status-line.ts:
 * an updating line with the elapsed time on a terminal, one line per change in a pipe).
 */
export interface StatusLine {
  /** the current state, e.g. `cluster jcrkit (c-abc): pending`; repeating the same text is not a change */
  update(text: string): void;
  /** ends the live line */
  done(): void;
}
