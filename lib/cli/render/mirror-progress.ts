/**
 * Terminal progress for a mirror run: one cli-progress bar per blob in flight, a line per finished
 * image. Kept apart from the engine (which only emits events) so both `jcrkit mirror` and
 * `jcrkit mirror --from-config` render the same way; callers use it only when stderr is a TTY.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { shortDigest, type MirrorEvent } from '../../registry';
import { formatBytes } from './mirror-report';

export interface ProgressRenderer {
  onEvent(event: MirrorEvent): void;
  /** print a line above the bars (warnings) */
  log(line: string): void;
  stop(): void;
}

export function createProgressBars(stream: NodeJS.WritableStream): ProgressRenderer {
  const multibar = new MultiBar(
    {
      stream,
      format: ' {digest} |{bar}| {percentage}% {done}/{size}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      autopadding: true,
      fps: 8,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  const key = (image: string, digest: string) => `${image} ${digest}`;
  // MultiBar only writes logged lines on its next redraw; redraw now so none is lost at the end.
  const print = (line: string) => {
    multibar.log(line.endsWith('\n') ? line : `${line}\n`);
    multibar.update();
  };

  return {
    onEvent(event) {
      if (event.type === 'blob') {
        const { progress } = event;
        const id = key(event.image, progress.digest);
        let bar = bars.get(id);
        if (!bar && progress.phase !== 'done') {
          bar = multibar.create(Math.max(progress.size, 1), 0, { digest: shortDigest(progress.digest), done: formatBytes(0), size: formatBytes(progress.size) });
          bars.set(id, bar);
        }
        if (!bar) return;
        bar.update(progress.bytes, { done: formatBytes(progress.bytes) });
        if (progress.phase === 'done') {
          bar.stop();
          multibar.remove(bar);
          bars.delete(id);
        }
      } else if (event.type === 'image-done') {
        const r = event.result;
        // a failed image may leave bars of aborted transfers behind
        for (const [id, bar] of bars) {
          if (id.startsWith(`${r.destination} `)) {
            multibar.remove(bar);
            bars.delete(id);
          }
        }
        const what = r.status === 'failed' ? 'failed' : `${r.status}: ${r.blobs.copied} copied, ${r.blobs.mounted} mounted, ${r.blobs.skipped} skipped, ${formatBytes(r.bytes)}`;
        print(`${r.status === 'failed' ? '✗' : '✓'} ${r.source} -> ${r.destination} (${what})`);
      }
    },
    log: print,
    stop() {
      multibar.stop();
    },
  };
}
