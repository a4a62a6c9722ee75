/**
 * A reader that stops early (`jcrkit synth --stdout | head -1`) closes our stdout; the next write
 * fails with EPIPE. That is the reader's choice, not an error of ours, so it ends quietly — no
 * stack trace, the command's own exit code — as `yes | head` does. Node ignores SIGPIPE and
 * reports the closed pipe as an 'error' event instead, which crashes the process when nobody
 * listens (https://nodejs.org/api/process.html#signal-events). Writes after that are dropped.
 */
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function endQuietlyOnClosedPipe(...streams: NodeJS.WritableStream[]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (!CLOSED.has(err.code ?? '')) throw err;
    });
  }
}
