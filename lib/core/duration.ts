/**
 * Durations as people write them in a config file or on the command line: `6h`, `90m`,
 * `1h30m` (Go's time.ParseDuration units h and m, the ones that make sense for token lifetimes).
 */

/** Whole minutes of `text`, or undefined when it is not such a duration (or is zero). */
export function parseMinutes(text: string): number | undefined {
  const m = /^\s*(?:(\d+)h)?(?:(\d+)m)?\s*$/.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  return minutes > 0 ? minutes : undefined;
}

/** 360 → "6h", 90 → "1h30m", 45 → "45m": the inverse of parseMinutes. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return h && m ? `${h}h${m}m` : h ? `${h}h` : `${m}m`;
}

/** A span of milliseconds for messages: "5h 59m", "12m", "40s". */
export function describeSpan(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h}h ${min % 60}m` : `${h}h`;
}
