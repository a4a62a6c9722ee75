/**
 * Every example config in the repository, as config text: the embedded default, examples/*.yaml,
 * and the spec of each JcrKit example.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG_YAML } from '../../lib/config';

const ROOT = join(__dirname, '..', '..');
const JCRKIT_FILES = ['examples/kpt/jcrkit.yaml', 'examples/kustomize/jcrkit.yaml', 'examples/argocd/cmp-source/jcrkit.yaml'];

/** [name, config text] pairs for test.each. */
export function exampleConfigs(): [string, string][] {
  const dir = join(ROOT, 'examples');
  const plain = readdirSync(dir).filter((f) => f.endsWith('.yaml') && statSync(join(dir, f)).isFile()).sort();
  const out: [string, string][] = [['embedded default', DEFAULT_CONFIG_YAML], ...plain.map((f) => [`examples/${f}`, readFileSync(join(dir, f), 'utf8')] as [string, string])];
  for (const f of JCRKIT_FILES) {
    try {
      out.push([`${f} (spec)`, stringify((parse(readFileSync(join(ROOT, f), 'utf8')) as { spec: unknown }).spec)]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return out;
}
