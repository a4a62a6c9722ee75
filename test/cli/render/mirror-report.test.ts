import { formatBytes, formatDuration, formatPlan, formatReportTable } from '../../../lib/cli/render/mirror-report';
import type { ImageResult } from '../../../lib/registry';
import { summarize } from '../../../lib/registry/report';

const D = `sha256:${'ab'.repeat(32)}`;

function result(extra: Partial<ImageResult>): ImageResult {
  return {
    source: 'docker.io/library/nginx:1.25',
    destination: 'reg.example/lib/nginx:1.25',
    status: 'copied',
    digest: D,
    platforms: ['linux/amd64', 'linux/arm64'],
    manifests: { copied: 2, skipped: 0 },
    blobs: { copied: 7, mounted: 1, skipped: 2 },
    bytes: 73_400_320,
    durationMs: 4200,
    ...extra,
  };
}

test('table: one row per image, numbers right-aligned, totals row for several images', () => {
  const report = summarize([result({}), result({ source: 'docker.io/library/redis:7', status: 'failed', digest: undefined, platforms: [], blobs: { copied: 0, mounted: 0, skipped: 0 }, bytes: 0, durationMs: 80 })], false, 4300);
  expect(formatReportTable(report)).toBe(
    [
      'IMAGE                         DESTINATION                 PLATFORMS                COPIED  MOUNTED  SKIPPED     BYTES  TIME  DIGEST               STATUS',
      'docker.io/library/nginx:1.25  reg.example/lib/nginx:1.25  linux/amd64,linux/arm64       7        1        2  70.0 MiB  4.2s  sha256:abababababab  copied',
      'docker.io/library/redis:7     reg.example/lib/nginx:1.25  -                             0        0        0       0 B  80ms  -                    failed',
      '2 images                                                                                7        1        2  70.0 MiB  4.3s                       1 failed',
      '',
    ].join('\n'),
  );
});

test('dry-run plan lines', () => {
  const report = summarize(
    [
      result({
        status: 'planned',
        plan: [
          { kind: 'blob', digest: D, size: 2048, action: 'copy', platform: 'linux/amd64' },
          { kind: 'manifest', digest: D, size: 500, action: 'push', reference: '1.25' },
        ],
      }),
    ],
    true,
    10,
  );
  expect(formatPlan(report)).toBe(
    'docker.io/library/nginx:1.25 -> reg.example/lib/nginx:1.25: 2 write(s)\n' +
      '  would copy blob sha256:abababababab (2.0 KiB) [linux/amd64]\n' +
      '  would push manifest sha256:abababababab (500 B) as 1.25\n',
  );
});

test('human units', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  expect(formatDuration(999)).toBe('999ms');
  expect(formatDuration(61_500)).toBe('1m2s');
});
