/**
 * Cron schedules as Kubernetes CronJob accepts them (robfig/cron's standard parser: five fields or
 * a descriptor such as @hourly). cron-parser checks the field ranges and walks the schedule; we
 * enforce the field count ourselves because cron-parser also accepts 4- and 6-field forms that
 * the API server rejects, and we forbid TZ= prefixes (use CronJob.spec.timeZone instead).
 */
import { CronExpressionParser } from 'cron-parser';
import { clip, quote } from './errors';

// luxon, which cron-parser computes dates with, ships no types; this is the one setting used.
const { Settings: luxonSettings } = require('luxon') as { Settings: { defaultLocale: string } };

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/**
 * cron-parser builds luxon DateTimes even just to check fields: without a currentDate it takes
 * `DateTime.local()` (the system time zone), and without a default locale luxon asks ICU for the
 * system one (`new Intl.DateTimeFormat()`). The first Intl object of a process loads ICU's locale
 * and time-zone data, about a tenth of a whole render. Schedules are checked in UTC and no date is
 * ever formatted, so the epoch and en-US change no result.
 */
function parseSchedule(expr: string) {
  luxonSettings.defaultLocale ||= 'en-US';
  return CronExpressionParser.parse(expr, { tz: 'UTC', currentDate: 0 });
}

/** Returns a message describing what is wrong with the expression, or undefined when it is valid. */
export function cronProblem(expr: string): string | undefined {
  const trimmed = expr.trim();
  if (trimmed.startsWith('TZ=') || trimmed.startsWith('CRON_TZ=')) {
    return `${quote(expr)} sets a time zone inside the schedule, which Kubernetes rejects. Fix: remove the TZ= prefix (schedules run in the controller's time zone, usually UTC)`;
  }
  if (DESCRIPTORS.has(trimmed)) return undefined;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) {
    return `${quote(expr)} has ${fields.length} field(s) but a CronJob schedule needs 5 (minute hour day-of-month month day-of-week). Fix: write e.g. "0 * * * *" for hourly`;
  }
  try {
    parseSchedule(trimmed);
  } catch (e) {
    return `${quote(expr)} is not a valid cron expression (${clip((e as Error).message)}). Fix: write 5 fields, e.g. "0 * * * *" for hourly or "*/30 * * * *" every 30 minutes`;
  }
  return undefined;
}

/**
 * The longest gap, in minutes, between two consecutive runs of a valid schedule. A schedule that
 * runs every day is periodic over one day, so the gap is computed from its minute-of-day set
 * (including the wrap past midnight). A schedule restricted by day of month, month or day of week
 * skips whole days, so its longest gap is at least a day; we report 1440 as that lower bound,
 * which is all the caller needs: tokens live at most 24 h, so half a lifetime is at most 12 h.
 */
export function longestGapMinutes(expr: string): number {
  const f = parseSchedule(expr.trim()).fields;
  const everyDay =
    f.month.values.length === 12 &&
    f.dayOfMonth.values.length === 31 &&
    new Set(f.dayOfWeek.values.map((d) => Number(d) % 7)).size === 7;
  if (!everyDay) return 24 * 60;
  const minutesOfDay: number[] = [];
  for (const h of f.hour.values) for (const m of f.minute.values) minutesOfDay.push(Number(h) * 60 + Number(m));
  minutesOfDay.sort((a, b) => a - b);
  let longest = minutesOfDay[0] + 24 * 60 - minutesOfDay[minutesOfDay.length - 1];
  for (let i = 1; i < minutesOfDay.length; i++) longest = Math.max(longest, minutesOfDay[i] - minutesOfDay[i - 1]);
  return longest;
}
