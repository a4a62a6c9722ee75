/**
 * Progress for a mirror run, from the engine's events: on a terminal, one cli-progress bar per blob
 * in flight and a line per finished image; in a pipe (stderr not a TTY), plain lines — one when an
 * image starts, one when it ends — so a CI log shows a long run as it happens. Both `jcrkit mirror`
 * and `jcrkit mirror --from-config` render the same way.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { shortDigest } from '../../registry';
import { formatImageDone, type ProgressRenderer } from './mirror-lines';
import { formatBytes } from './mirror-report';

export type { ProgressRenderer };

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
        print(formatImageDone(r));
      }
    },
    log: print,
    stop() {
      multibar.stop();
    },
  };
}
