/**
 * The structured result of a mirror run and its two renderings: a text table for people and JSON
 * for machines. Both come from the same object so they can't disagree.
 */
import type { RegistryErrorCode } from './errors';
import { shortDigest } from './digest';

export type ImageStatus =
  /** something was written at the destination */
  | 'copied'
  /** the destination already had exactly this manifest under the reference */
  | 'unchanged'
  /** dry run: what would have been written is in `plan` */
  | 'planned'
  | 'failed';

export interface BlobCounts {
  copied: number;
  mounted: number;
  skipped: number;
}

export interface PlannedAction {
  kind: 'blob' | 'manifest';
  digest: string;
  size: number;
  action: 'copy' | 'mount' | 'push';
  /** for manifests pushed under a tag */
  reference?: string;
  platform?: string;
}

export interface ImageError {
  code: RegistryErrorCode | 'internal';
  /** one sentence, cause only (the image is in the surrounding result) */
  message: string;
  /** registry the failure came from, when known */
  registry?: string;
  /** which side of the copy the failing registry was, when it can be told */
  side?: 'source' | 'destination';
}

export interface ImageResult {
  source: string;
  destination: string;
  status: ImageStatus;
  /** digest of the top-level manifest, identical at source and destination */
  digest?: string;
  mediaType?: string;
  /** platforms written (or found already present); empty for single-platform images and unchanged runs */
  platforms: string[];
  manifests: { copied: number; skipped: number };
  blobs: BlobCounts;
  /** bytes of blob content transferred */
  bytes: number;
  durationMs: number;
  plan?: PlannedAction[];
  error?: ImageError;
}

export interface MirrorReport {
  ok: boolean;
  dryRun: boolean;
  images: ImageResult[];
  totals: {
    images: number;
    copied: number;
    unchanged: number;
    planned: number;
    failed: number;
    blobs: BlobCounts;
    bytes: number;
    durationMs: number;
  };
}

export function summarize(images: ImageResult[], dryRun: boolean, durationMs: number): MirrorReport {
  const count = (status: ImageStatus) => images.filter((i) => i.status === status).length;
  const sum = (pick: (i: ImageResult) => number) => images.reduce((n, i) => n + pick(i), 0);
  return {
    ok: images.every((i) => i.status !== 'failed'),
    dryRun,
    images,
    totals: {
      images: images.length,
      copied: count('copied'),
      unchanged: count('unchanged'),
      planned: count('planned'),
      failed: count('failed'),
      blobs: { copied: sum((i) => i.blobs.copied), mounted: sum((i) => i.blobs.mounted), skipped: sum((i) => i.blobs.skipped) },
      bytes: sum((i) => i.bytes),
      durationMs,
    },
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

function platformsCell(platforms: string[]): string {
  if (platforms.length === 0) return '-';
  if (platforms.length <= 3) return platforms.join(',');
  return `${platforms.slice(0, 2).join(',')},+${platforms.length - 2}`;
}

/** Fixed-width summary table, one row per image plus a total row when there are several. */
export function formatReportTable(report: MirrorReport): string {
  const header = ['IMAGE', 'DESTINATION', 'PLATFORMS', 'COPIED', 'MOUNTED', 'SKIPPED', 'BYTES', 'TIME', 'DIGEST', 'STATUS'];
  const rows = report.images.map((i) => [
    i.source,
    i.destination,
    platformsCell(i.platforms),
    String(i.blobs.copied),
    String(i.blobs.mounted),
    String(i.blobs.skipped),
    formatBytes(i.bytes),
    formatDuration(i.durationMs),
    i.digest ? shortDigest(i.digest) : '-',
    i.status,
  ]);
  if (report.images.length > 1) {
    const t = report.totals;
    rows.push([
      `${t.images} images`,
      '',
      '',
      String(t.blobs.copied),
      String(t.blobs.mounted),
      String(t.blobs.skipped),
      formatBytes(t.bytes),
      formatDuration(t.durationMs),
      '',
      t.failed > 0 ? `${t.failed} failed` : 'ok',
    ]);
  }
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, col) => (col >= 3 && col <= 7 ? c.padStart(widths[col]) : c.padEnd(widths[col])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Dry-run plan as lines: what would be written, per image. */
export function formatPlan(report: MirrorReport): string {
  const lines: string[] = [];
  for (const image of report.images) {
    if (!image.plan) continue;
    lines.push(`${image.source} -> ${image.destination}: ${image.plan.length === 0 ? 'nothing to do' : `${image.plan.length} write(s)`}`);
    for (const step of image.plan) {
      const where = step.platform ? ` [${step.platform}]` : '';
      const target = step.reference ? ` as ${step.reference}` : '';
      lines.push(`  would ${step.action} ${step.kind} ${shortDigest(step.digest)} (${formatBytes(step.size)})${where}${target}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
