/**
 * `jcrkit mirror --file LIST`: many images in one run. Two forms, told apart by the first
 * meaningful line:
 *
 * ```yaml
 * - from: ghcr.io/me/app:1.2              # YAML list of {from, to[, platform, digest]}
 *   to: myreg-cn-north-1.jcr.service.jdcloud.com/me/app:1.2
 * ```
 *
 * ```text
 * # or one image per line: SRC DST (blank lines and # comments ignored)
 * nginx:1.25 myreg-cn-north-1.jcr.service.jdcloud.com/library/nginx:1.25
 * ```
 *
 * Every reference is parsed up front, so a typo fails the run (exit 2, naming the line) before
 * anything is copied.
 */
import { parseDocument } from 'yaml';
import { isDigest } from './digest';
import type { MirrorPair } from './mirror';
import { parseImageReference } from './reference';

/** A list that can't be used; the message names the file and the line or entry. */
export class ImageListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageListError';
  }
}

const KEYS = new Set(['from', 'to', 'platform', 'digest']);

function checked(where: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new ImageListError(`${where}: "${field}" must be an image reference`);
  try {
    parseImageReference(value);
  } catch (err) {
    throw new ImageListError(`${where}: ${(err as Error).message}`);
  }
  return value.trim();
}

export function parseImageList(text: string, file: string): MirrorPair[] {
  const firstLine = text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#'));
  if (!firstLine) throw new ImageListError(`${file} lists no images. Fix: write "SRC DST" lines, or a YAML list of {from, to}`);
  return /^\s*-/.test(firstLine) ? fromYaml(text, file) : fromLines(text, file);
}

function fromLines(text: string, file: string): MirrorPair[] {
  const pairs: MirrorPair[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const where = `${file}:${index + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 2) throw new ImageListError(`${where}: expected "SRC DST", got ${fields.length} field${fields.length === 1 ? '' : 's'}`);
    pairs.push({ source: checked(where, 'SRC', fields[0]), destination: checked(where, 'DST', fields[1]) });
  });
  return pairs;
}

function fromYaml(text: string, file: string): MirrorPair[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ImageListError(`${file}: malformed YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const items = doc.toJS() as unknown;
  if (!Array.isArray(items)) throw new ImageListError(`${file}: expected a YAML list of {from, to}`);
  return items.map((item: unknown, index) => {
    const where = `${file}: entry ${index + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new ImageListError(`${where}: expected a mapping with "from" and "to"`);
    const entry = item as Record<string, unknown>;
    const unknown = Object.keys(entry).filter((k) => !KEYS.has(k));
    if (unknown.length) throw new ImageListError(`${where}: unknown key "${unknown[0]}". Fix: use from, to, platform, digest`);
    const pair: MirrorPair = { source: checked(where, 'from', entry.from), destination: checked(where, 'to', entry.to) };
    if (entry.platform !== undefined) {
      if (typeof entry.platform !== 'string' || !/^[^/\s]+\/[^/\s]+(\/[^/\s]+)?$/.test(entry.platform)) throw new ImageListError(`${where}: "platform" must be os/arch[/variant], e.g. linux/amd64`);
      pair.platform = entry.platform;
    }
    if (entry.digest !== undefined) {
      if (typeof entry.digest !== 'string' || !isDigest(entry.digest)) throw new ImageListError(`${where}: "digest" must be sha256:<64 hex>`);
      pair.expectedDigest = entry.digest;
    }
    return pair;
  });
}
