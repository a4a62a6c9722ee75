/**
 * The function renders what `jcrkit synth` renders: for every example config (the embedded default
 * and each examples/*.yaml), its items — without the annotations the function adds — are the
 * objects of renderStack, in the same order, in files named like synth's dist/ files. Both config
 * forms are checked: the typed JcrKit spec and the same config flattened into kpt's dotted keys.
 */
import { stringify } from 'yaml';
import { parseConfigYaml, validateConfig } from '../../lib/config';
import { runFunction, stripAddedAnnotations } from '../../lib/krm';
import { renderStack } from '../../lib/render';
import { configMap, exampleConfigs, FIXED_BUNDLE, jcrKit, Obj, parseOutput, resourceList } from './helpers';

/** The config as kpt `key=value` pairs: one per leaf, values in YAML so they read back the same. */
function dottedKeys(value: unknown, prefix = ''): Record<string, string> {
  const isMapping = value !== null && typeof value === 'object' && !Array.isArray(value);
  // Mappings whose keys hold dots (images.digests by image reference) cannot be addressed by a dotted path: set them whole.
  if (!isMapping || (prefix && Object.keys(value as Obj).some((k) => k.includes('.')))) return { [prefix]: stringify(value, { lineWidth: 0 }).trimEnd() };
  return Object.assign({}, ...Object.entries(value as Obj).map(([k, v]) => dottedKeys(v, prefix ? `${prefix}.${k}` : k)));
}

describe.each(exampleConfigs().map((e) => [e.name, e.text] as const))('%s', (name, text) => {
  const raw = parseConfigYaml(text, name);
  const files = renderStack(validateConfig(raw, name).config, { refresherBundle: FIXED_BUNDLE }).files;

  const check = (input: string) => {
    const out = runFunction(input, { refresherBundle: FIXED_BUNDLE });
    expect(out.stderr).not.toMatch(/^error/m);
    expect(out.exitCode).toBe(0);
    const items = parseOutput(out.outputText).items;
    // Same objects, same order, and each in the file synth writes it to (jcrkit/<dist path>).
    expect(items.map((o) => stripAddedAnnotations(o))).toEqual(files.flatMap((f) => f.objects));
    expect(items.map((o) => o.metadata.annotations['internal.config.kubernetes.io/path'])).toEqual(files.flatMap((f) => f.objects.map(() => `jcrkit/${f.path}`)));
  };

  test('typed JcrKit functionConfig', () => check(resourceList([], jcrKit(raw))));
  test('ConfigMap functionConfig with dotted keys (kpt fn eval -- k=v)', () => check(resourceList([], configMap(dottedKeys(raw)))));
});
