/**
 * Every example config in the repository, as config text: the embedded default, examples/*.yaml,
 * the spec of each JcrKit example, and each cluster of examples/fleet/fleet.yaml merged over its
 * defaults (exactly what `jcrkit synth --fleet` validates).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG_YAML, loadFleet } from '../../lib/config';

const ROOT = join(__dirname, '..', '..');
export const FLEET_FILE = join(ROOT, 'examples', 'fleet', 'fleet.yaml');
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
  for (const c of loadFleet(FLEET_FILE).clusters) out.push([`examples/fleet/fleet.yaml cluster ${c.name}`, stringify(c.raw)]);
  return out;
}
