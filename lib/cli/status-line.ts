/**
 * The live status of a long wait (cluster create/delete) on stderr, with the time waited so far.
 * On a terminal: one line rewritten in place, redrawn every second so the clock moves between
 * polls. Elsewhere (CI logs, pipes): one line per state change, so a log file gets the
 * transitions rather than a spinner's noise.
 */
import type { StatusLine } from '../cloud/log';
import type { OutStream } from './run-command';

const SPINNER = ['|', '/', '-', '\\'];

export interface StatusLineOptions {
  /** clock in ms; default Date.now */
  now?: () => number;
  /** terminal redraw period; 0 = only on update (tests) */
  tickMs?: number;
}

export function statusLine(stream: OutStream, opts: StatusLineOptions = {}): StatusLine {
  const now = opts.now ?? Date.now;
  const tickMs = opts.tickMs ?? 1000;
  let start: number | undefined;
  let text: string | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = () => formatElapsed(now() - (start ?? now()));
  const draw = () => stream.write(`\r\x1b[K${SPINNER[frame++ % SPINNER.length]} ${text} ${elapsed()}`);
  return {
    update(next) {
      start ??= now();
      if (stream.isTTY) {
        text = next;
        draw();
        if (!timer && tickMs > 0) {
          timer = setInterval(draw, tickMs);
          timer.unref(); // never keeps the process alive
        }
      } else if (next !== text) {
        text = next;
        stream.write(`${next} (${elapsed()} elapsed)\n`);
      }
    },
    done() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (stream.isTTY && text !== undefined) stream.write('\n');
      text = undefined;
      start = undefined;
    },
  };
}

/** 5s, 2m05s, 1h02m. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
