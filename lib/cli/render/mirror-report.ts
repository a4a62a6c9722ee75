/**
 * The text rendering of a mirror report for people: the summary table and the dry-run plan. The
 * JSON output is the report object itself, so the table never shows what the JSON doesn't say.
 */
import { shortDigest, type MirrorReport } from '../../registry';

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
