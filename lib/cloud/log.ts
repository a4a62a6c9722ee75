/** Progress lines for people (stderr); the command's result goes to stdout. */
export type Log = (line: string) => void;

export const silentLog: Log = () => undefined;

/**
 * A one-line live status for long waits (cluster create/delete). On a terminal it rewrites the
 * line in place; elsewhere (CI logs, pipes) it prints only when the text changes, so a log file
 * gets state transitions rather than a spinner's noise.
 */
export interface StatusLine {
  /** `detail` (e.g. elapsed time) is shown on a terminal only and does not count as a change */
  update(text: string, detail?: string): void;
  /** ends the live line (a newline on a terminal) */
  done(): void;
}

const SPINNER = ['|', '/', '-', '\\'];

export function statusLine(stream: { write(s: string): unknown; isTTY?: boolean }): StatusLine {
  let last = '';
  let frame = 0;
  let live = false;
  return {
    update(text, detail) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${SPINNER[frame++ % SPINNER.length]} ${text}${detail ? ` ${detail}` : ''}`);
        live = true;
      } else if (text !== last) {
        stream.write(`${text}\n`);
      }
      last = text;
    },
    done() {
      if (live) stream.write('\n');
      live = false;
    },
  };
}
