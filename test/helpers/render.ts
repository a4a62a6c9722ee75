import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigYaml, validateConfig, DEFAULT_CONFIG_YAML, Resolved } from '../../lib/config';
import { KubeObject, renderStack, RenderResult } from '../../lib/render';

export const ROOT = join(__dirname, '..', '..');
/** A fixed stand-in for the bundled refresher, so snapshots do not depend on the bundle's bytes. */
export const TEST_BUNDLE = '// jcrkit refresher bundle (test stand-in)\n';

export function resolveYaml(text: string, source = 'test'): Resolved {
  return validateConfig(parseConfigYaml(text, source), source);
}

export function resolveExample(name: string): Resolved {
  const path = join(ROOT, 'examples', name);
  return resolveYaml(readFileSync(path, 'utf8'), path);
}

export function renderYaml(text: string, opts: { password?: string } = {}): RenderResult {
  return renderStack(resolveYaml(text).config, { refresherBundle: TEST_BUNDLE, ...opts });
}

export function renderDefault(opts: { password?: string } = {}): RenderResult {
  return renderYaml(DEFAULT_CONFIG_YAML, opts);
}

export function allObjects(r: RenderResult): KubeObject[] {
  return r.files.flatMap((f) => f.objects);
}

export function find(r: RenderResult, kind: string, name: string, namespace?: string): KubeObject {
  const o = allObjects(r).find((x) => x.kind === kind && x.metadata.name === name && (namespace === undefined || x.metadata.namespace === namespace));
  if (!o) throw new Error(`${kind}/${namespace ?? '*'}/${name} not rendered`);
  return o;
}

export const EXAMPLES = ['seed.yaml', 'gitops.yaml', 'multi-namespace.yaml', 'headlamp.yaml'];
