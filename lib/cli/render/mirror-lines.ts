/**
 * Mirror progress without cli-progress (kept apart so a pipe never loads it): the one-line-per-image
 * form for a pipe, the line both forms print when an image ends, and the escape sequences that
 * undo what the bars did to the terminal.
 */
import type { ImageResult, MirrorEvent } from '../../registry';
import { formatBytes, formatDuration } from './mirror-report';

export interface ProgressRenderer {
  onEvent(event: MirrorEvent): void;
  /** print a line above the bars (warnings) */
  log(line: string): void;
  stop(): void;
}

/** ANSI: show the cursor (DECTCEM) and turn auto-wrap back on (DECAWM), which cli-progress turned off. */
export const RESTORE_TERMINAL = '\x1b[?25h\x1b[?7h';

/** `✓ SRC -> DST (copied: 3 copied, 0 mounted, 1 skipped, 12.0 MiB, 1.2s)`, or ✗/– with the reason. */
export function formatImageDone(r: ImageResult): string {
  const via = r.pulledFrom ? ` (via ${r.pulledFrom})` : '';
  // the reason follows on the `error:` line (failed) or in the interruption summary (cancelled)
  if (r.status === 'failed' || r.status === 'cancelled') return `${r.status === 'failed' ? '✗' : '–'} ${r.source}${via} -> ${r.destination} (${r.status})`;
  const converted = r.convertedTo ? `, converted to ${r.convertedTo === 'docker' ? 'Docker schema 2' : 'OCI'}` : '';
  return `✓ ${r.source}${via} -> ${r.destination} (${r.status}: ${r.blobs.copied} copied, ${r.blobs.mounted} mounted, ${r.blobs.skipped} skipped, ${formatBytes(r.bytes)}, ${formatDuration(r.durationMs)}${converted})`;
}

/** For a pipe: a line per image start and end; nothing per blob (a CI log is not a terminal). */
export function createProgressLines(stream: { write(s: string): unknown }): ProgressRenderer {
  return {
    onEvent(event) {
      if (event.type === 'image-start') stream.write(`… ${event.source}${event.pulledFrom ? ` (via ${event.pulledFrom})` : ''} -> ${event.destination}\n`);
      else if (event.type === 'image-done') stream.write(`${formatImageDone(event.result)}\n`);
    },
    log: (line) => stream.write(line.endsWith('\n') ? line : `${line}\n`),
    stop: () => undefined,
  };
}
