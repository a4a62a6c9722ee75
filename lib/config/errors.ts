/** Config problems, each tied to the dotted path of the field and carrying its fix. */
import { InputError } from '../core/errors';

export interface ConfigIssue {
  /** Dotted field path, e.g. `dashboard.service.nodePort` (`(root)` for the document). */
  path: string;
  message: string;
  /** Where the value came from when not the document itself, e.g. `--registry-name` or `--set registry.name=x`. */
  origin?: string;
}

/**
 * An invalid config: bad input (exit code 2). The message is a header naming the source, then one
 * indented line per issue, `  <path>: <message with fix>[ (from <origin>)]` — the same
 * `<path>: <message>` the KRM function puts in its results.
 */
export class ConfigError extends InputError {
  readonly issues: ConfigIssue[];
  readonly source: string;

  constructor(source: string, issues: ConfigIssue[]) {
    // One line per problem: the same issue found twice (two rules, two passes) is reported once.
    const unique = dedupeIssues(issues.map((i) => ({ ...i, path: clip(i.path, MAX_PATH_CHARS) })));
    super(formatIssues(clip(source, MAX_PATH_CHARS), unique));
    this.source = source;
    this.issues = unique;
  }
}

/**
 * The config file cannot be used at all (missing, not a regular file, too big, not UTF-8): one
 * line naming the file, who named it (`--config`, `JCRKIT_CONFIG`) and the fix. Its one issue is
 * at `(file)`, like every other config problem.
 */
export class ConfigFileError extends ConfigError {
  constructor(file: string, namedBy: string, problem: string) {
    super(file, [{ path: '(file)', message: problem }]);
    this.message = `${clip(file, MAX_PATH_CHARS)} (named by ${namedBy}): ${problem}`;
  }
}

function formatIssues(source: string, issues: ConfigIssue[]): string {
  const lines = issues.map((i) => `  ${i.path}: ${i.message}${i.origin ? ` (from ${clip(i.origin, MAX_PATH_CHARS)})` : ''}`);
  const origins = [...new Set(issues.map((i) => i.origin).filter((o): o is string => !!o))].map((o) => clip(o, MAX_PATH_CHARS));
  return `invalid config (${origins.length ? `${origins.join(', ')} over ${source}` : source}):\n${lines.join('\n')}`;
}

function dedupeIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---- quoting values in messages ----------------------------------------------------------------

/** How much of a bad value a message echoes: enough to recognise it, never a whole 5 MB blob. */
export const MAX_ECHO_CHARS = 100;
/** Field paths and sources are built from keys and names the user wrote, so they are bounded too. */
const MAX_PATH_CHARS = 200;

/** The first `max` characters of `text`, never splitting a surrogate pair. */
function head(text: string, max: number): string {
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/**
 * A value as a message quotes it: JSON-quoted (so newlines and control characters stay on one
 * line), and when longer than MAX_ECHO_CHARS cut with an ellipsis and its length:
 * `"aaaa…" (5242880 characters)`.
 */
export function quote(value: unknown, max = MAX_ECHO_CHARS): string {
  const text = String(value);
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(head(text, max)).slice(0, -1)}…" (${text.length} characters)`;
}

/** Like `quote`, without the quotes: for names and paths written into running text. */
export function clip(value: unknown, max = MAX_ECHO_CHARS): string {
  const text = String(value);
  return text.length <= max ? text : `${head(text, max)}… (${text.length} characters)`;
}
