/** `--set key=value` (and kpt's `-- key=value` functionConfig data) as one parser. */
import { parse as parseYamlScalar } from 'yaml';
import { UsageError } from './errors';

/** `key=value` → [key, parsed value]; values use YAML scalar syntax (`8443` is a number, `"8443"` a string). */
export function parseSetArg(arg: string): [string, unknown] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set ${arg}: expected key=value. Fix: write e.g. --set refresher.tokenHours=6`);
  const key = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1);
  let value: unknown;
  try {
    value = raw === '' ? '' : parseYamlScalar(raw);
  } catch {
    value = raw;
  }
  return [key, value];
}
