/**
 * Hostile input to the KRM function: anything that is not a ResourceList of KRM objects, and
 * config that the config file rules refuse. On every error the answer is still exactly one
 * ResourceList, with the input items unchanged, an error result, and exit code 2 (bad input).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlias, parseDocument, stringify, YAMLSeq } from 'yaml';
import { EXIT_BAD_INPUT, runFunction } from '../../lib/krm';
import { configMap, ensureBuilt, FIXED_BUNDLE, FN_BIN, generatedObjects, isGenerated, jcrKit, Obj, parseOutput, resourceList, synthObjects } from './helpers';

const run = (input: string | Uint8Array) => runFunction(input, { refresherBundle: FIXED_BUNDLE });

const SPEC = { registry: { name: 'acme', region: 'cn-east-2' }, pullSecret: { namespaces: ['apps'] }, admin: { clusterRole: 'view' } };
const FOREIGN = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', namespace: 'apps' }, data: { a: 'b' } };

/** Exit 2, exactly one ResourceList, one error result matching `message`, the given items back, nothing generated. */
function expectRefused(out: ReturnType<typeof run>, message: RegExp, items: unknown[] = []): Obj[] {
  expect(out.exitCode).toBe(EXIT_BAD_INPUT);
  expect(EXIT_BAD_INPUT).toBe(2);
  const parsed = parseOutput(out.outputText);
  expect(parsed.items).toEqual(items);
  const errors = parsed.results.filter((r) => r.severity === 'error');
  expect(errors.map((r) => r.message)).toEqual([expect.stringMatching(message)]);
  expect(errors[0].message).toMatch(/Fix: /);
  expect(parsed.items.filter(isGenerated)).toEqual(items.filter((i) => isGenerated(i as Obj)));
  expect(out.stderr).not.toBe('');
  return parsed.results;
}

const BOMB = (() => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  return levels;
})();

describe('input that is not a ResourceList of KRM objects is an error result, exit 2', () => {
  test.each([
    ['a YAML list', '- a\n- b\n', /^the input is a list, not a ResourceList\. Fix: /],
    ['a scalar', 'hello\n', /^the input is a string \("hello"\), not a ResourceList/],
    ['a number', '42\n', /^the input is a number \("42"\), not a ResourceList/],
    ['malformed YAML', 'kind: ResourceList\nitems: [\n', /^the input is not valid YAML: .*Fix: send a ResourceList/],
    ['a ResourceList with other documents', `${resourceList([])}---\n${stringify(FOREIGN)}`, /holds a ResourceList and other documents/],
  ])('%s: an empty ResourceList answers', (_name, input, message) => {
    expectRefused(run(input), message);
  });

  test('bytes that are not UTF-8 are refused, with where', () => {
    const bytes = Buffer.concat([Buffer.from('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- kind: ConfigMap\n  data: {a: "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    expectRefused(run(bytes), /^the input is not valid UTF-8 \(the first invalid byte is on line 5, byte offset 93\)\. Fix: /);
  });

  test('random bytes: always one ResourceList and an error (or, for harmless bytes, a normal answer); never a crash', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 300; n++) {
      const length = 1 + Math.floor(random() * 200);
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * (n % 2 ? 256 : 128)));
      const out = run(bytes);
      const { results } = parseOutput(out.outputText);
      const failed = results.some((r) => r.severity === 'error');
      expect([n, out.exitCode]).toEqual([n, failed ? 2 : 0]);
    }
  });

  test.each([
    ['a string', 'just a string', /^items\[1\] \(line \d+\) is a string \("just a string"\), not a KRM object\. Fix: /],
    ['a number', 7, /^items\[1\] \(line \d+\) is a number \("7"\), not a KRM object/],
    ['a list', ['a'], /^items\[1\] \(line \d+\) is a list, not a KRM object/],
    ['null', null, /^items\[1\] \(line \d+\) is empty, not a KRM object/],
    ['an object without kind', { apiVersion: 'v1', metadata: { name: 'x' } }, /^items\[1\] \(line \d+\) has no kind \(a string\), so it is not a KRM object/],
    ['an object without apiVersion or kind', { metadata: { name: 'x' } }, /^items\[1\] \(line \d+\) has no apiVersion and no kind/],
    ['an object whose kind is not a string', { apiVersion: 'v1', kind: { a: 1 }, metadata: { name: 'x' } }, /^items\[1\] .*has no kind/],
    ['an object whose metadata is a list', { apiVersion: 'v1', kind: 'ConfigMap', metadata: ['x'] }, /^items\[1\] .*has a metadata that is not a mapping/],
  ])('an item that is %s: error, every item back unchanged, nothing rendered', (_name, item, message) => {
    const earlier = parseOutput(run(resourceList([FOREIGN], jcrKit(SPEC))).outputText).items;
    const items = [earlier[0], item, ...earlier.slice(1)];
    expectRefused(run(resourceList(items, jcrKit(SPEC))), message, items);
  });

  test('a plain stream with a document that is not an object: error, the objects come back unchanged', () => {
    const out = run(`${stringify(FOREIGN)}---\nplain text\n---\n${stringify(jcrKit(SPEC))}`);
    expectRefused(out, /^document 2 of the input stream \(line \d+\) is a string \("plain text"\), not a KRM object/, [FOREIGN, jcrKit(SPEC)]);
  });

  test('an unsupported ResourceList version: the input comes back as it was, with the error', () => {
    const out = run(resourceList([FOREIGN], jcrKit(SPEC), 'config.kubernetes.io/v2'));
    expectRefused(out, /^unsupported ResourceList apiVersion "config.kubernetes.io\/v2"\. Fix: use config.kubernetes.io\/v1/, [FOREIGN]);
  });

  test('an alias bomb inside an item: error, items unchanged (the aliases are written back, not expanded)', () => {
    const input = ['apiVersion: config.kubernetes.io/v1', 'kind: ResourceList', 'items:', '- apiVersion: v1', '  kind: ConfigMap', '  metadata: {name: bomb}', '  data:', ...BOMB.map((l) => `    ${l}`), ''].join('\n');
    const out = run(input);
    expect(out.exitCode).toBe(2);
    expect(out.outputText.length).toBeLessThan(input.length + 1000);
    // The output cannot be expanded either, so it is inspected as YAML nodes.
    const doc = parseDocument(out.outputText);
    expect(doc.errors).toEqual([]);
    expect((doc.get('results', true) as YAMLSeq).toJS(doc)).toEqual([
      { severity: 'error', message: expect.stringMatching(/^items\[0\] \(line 4\) uses YAML aliases that expand to more than 100 values \(an "alias bomb"\)\. Fix: /) },
    ]);
    const items = doc.get('items', true) as YAMLSeq;
    expect(items.items).toHaveLength(1);
    const last = doc.getIn(['items', 0, 'data', 'i'], true) as YAMLSeq;
    expect(last.items.map((n) => (isAlias(n) ? n.source : n))).toEqual(Array(10).fill('h'));
    expect(out.stderr).toMatch(/^error: items\[0\] \(line 4\) uses YAML aliases/);
  });
});

describe('the functionConfig is read with the config file rules', () => {
  test('an alias bomb in the functionConfig: error result on it, every input item back (before: none came back)', () => {
    const earlier = parseOutput(run(resourceList([FOREIGN], jcrKit(SPEC))).outputText).items;
    const text = `${resourceList(earlier)}${['functionConfig:', '  apiVersion: jcrkit.io/v1alpha1', '  kind: JcrKit', '  metadata: {name: boom}', '  spec:', '    registry: {name: acme, region: cn-east-2}', ...BOMB.map((l) => `    ${l}`), ''].join('\n')}`;
    const out = run(text);
    expect(out.exitCode).toBe(2);
    const doc = parseDocument(out.outputText);
    expect((doc.get('items', true) as YAMLSeq).toJS(doc)).toEqual(earlier);
    expect((doc.get('results', true) as YAMLSeq).toJS(doc)).toEqual([
      { severity: 'error', message: expect.stringMatching(/^\(root\): its YAML aliases \(\*name\) expand to more than 100 values, the pattern of an "alias bomb".*Fix: /), resourceRef: { apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', name: 'boom' } },
    ]);
    expect(out.stderr).toMatch(/^error: invalid config \(functionConfig JcrKit\/boom\):\n {2}\(root\): its YAML aliases/);
  });

  test.each([
    ['!!binary', 'pullSecret: {name: !!binary aGVsbG8=}', 'spec.pullSecret.name'],
    ['!!set', 'pullSecret: {namespaces: !!set {apps}}', 'spec.pullSecret.namespaces'],
    ['!!timestamp', 'refresher: {schedule: !!timestamp 2001-12-14}', 'spec.refresher.schedule'],
    ['!foo', 'admin: {clusterRole: !foo view}', 'spec.admin.clusterRole'],
  ])('a %s tag in a JcrKit functionConfig is an error on its field, with the line', (tag, line, field) => {
    const text = `${resourceList([FOREIGN]).trimEnd()}\nfunctionConfig:\n  apiVersion: jcrkit.io/v1alpha1\n  kind: JcrKit\n  metadata: {name: tagged}\n  spec:\n    registry: {name: acme, region: cn-east-2}\n    ${line}\n`;
    const lineNo = text.trimEnd().split('\n').length;
    const results = expectRefused(run(text), new RegExp(`^${field.replace(/\./g, '\\.')}: the YAML tag ${tag} \\(line ${lineNo}\\) is not supported`), [FOREIGN]);
    expect(results[0]).toMatchObject({ resourceRef: { apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', name: 'tagged' }, field: { path: field } });
  });

  test('the same for the package\'s JcrKit item when it is the config', () => {
    const text = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: jcrkit.io/v1alpha1\n  kind: JcrKit\n  metadata: {name: pkg}\n  spec:\n    registry: {name: acme, region: cn-east-2}\n    pullSecret: {name: !!binary aGVsbG8=}\n`;
    const out = run(text);
    expect(out.exitCode).toBe(2);
    expect(parseOutput(out.outputText).results).toEqual([
      { severity: 'error', message: expect.stringMatching(/^spec\.pullSecret\.name: the YAML tag !!binary \(line 9\)/), resourceRef: { apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', name: 'pkg' }, field: { path: 'spec.pullSecret.name' } },
    ]);
  });

  test('a tag in a ConfigMap value (kpt `-- key=value`) is an error on that data key', () => {
    const results = expectRefused(run(resourceList([FOREIGN], configMap({ 'registry.name': 'acme', 'pullSecret.name': '!!binary aGVsbG8=' }))), /^pullSecret\.name: the YAML tag !!binary/, [FOREIGN]);
    expect(results[0].field).toEqual({ path: "data['pullSecret.name']" });
    expectRefused(run(resourceList([], configMap({ 'pullSecret.namespaces': `{${BOMB.join(', ')}}` }))), /^pullSecret\.namespaces: its YAML aliases .*"alias bomb"/);
  });

  test('__proto__ keys are named as written and pollute nothing (typed spec and ConfigMap keys)', () => {
    const typed = `${resourceList([]).trimEnd()}\nfunctionConfig:\n  apiVersion: jcrkit.io/v1alpha1\n  kind: JcrKit\n  metadata: {name: p}\n  spec:\n    registry: {name: acme, region: cn-east-2, __proto__: {polluted: true}}\n`;
    expectRefused(run(typed), /^registry\.__proto__: unknown key\. Fix: remove it or use one of: name, region, host, crService$/);
    expectRefused(run(resourceList([], configMap({ '__proto__.polluted': 'true' }))), /^__proto__: unknown key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a 5 MB functionConfig kind or name is cut in every message', () => {
    const huge = 'K'.repeat(5 * 1024 * 1024);
    const out = run(resourceList([FOREIGN], { apiVersion: 'x/v1', kind: huge, metadata: { name: huge } }));
    expect(out.exitCode).toBe(2);
    const { results } = parseOutput(out.outputText);
    expect(results).toHaveLength(1);
    expect(results[0].message.length).toBeLessThan(400);
    expect(results[0].message).toMatch(/K{60}… \(5242880 characters\) is not supported/);
    expect(out.stderr.length).toBeLessThan(800);
  });
});

describe('only what jcrkit renders is replaced', () => {
  test('an item with the marker that jcrkit does not render now is kept, with a warning naming it', () => {
    const leftover = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-an-older-jcrkit', namespace: 'apps', annotations: { 'config.jcrkit.io/generated-by': 'jcrkit-fn', 'internal.config.kubernetes.io/path': 'jcrkit/old.yaml' } },
      data: { x: 'y' },
    };
    const out = run(resourceList([FOREIGN, leftover], jcrKit(SPEC)));
    expect(out.exitCode).toBe(0);
    const { items, results } = parseOutput(out.outputText);
    expect(items.slice(0, 2)).toEqual([FOREIGN, leftover]);
    expect(generatedObjects(out.outputText)).toEqual([...[leftover].map((o) => ({ ...o, metadata: { name: o.metadata.name, namespace: o.metadata.namespace } })), ...synthObjects(JSON.stringify(SPEC))]);
    expect(results.filter((r) => r.severity === 'warning' && r.resourceRef?.name === 'from-an-older-jcrkit')).toEqual([
      {
        severity: 'warning',
        message: expect.stringMatching(/^ConfigMap apps\/from-an-older-jcrkit \(jcrkit\/old\.yaml\) carries config\.jcrkit\.io\/generated-by: jcrkit-fn but the current config does not render it .*Fix: delete the item/),
        resourceRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'from-an-older-jcrkit', namespace: 'apps' },
        file: { path: 'jcrkit/old.yaml', index: 0 },
      },
    ]);
    expect(out.stderr).toMatch(/^warning: ConfigMap apps\/from-an-older-jcrkit/m);
  });

  test('earlier output that is rendered again is replaced by the fresh object (stale content goes)', () => {
    const first = parseOutput(run(resourceList([], jcrKit(SPEC))).outputText).items;
    const edited = first.map((o) => (o.kind === 'ServiceAccount' && o.metadata.name === 'dashboard-admin' ? { ...o, automountServiceAccountToken: true } : o));
    const out = run(resourceList(edited, jcrKit(SPEC)));
    expect(out.exitCode).toBe(0);
    expect(parseOutput(out.outputText).items).toEqual(first);
  });
});

describe('the process (bin/jcrkit-fn.js)', () => {
  let work: string;
  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'jcrkit-hostile-fn-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const fn = (input: Buffer | string, opts: { args?: string[]; env?: NodeJS.ProcessEnv } = {}) => {
    const env = { ...process.env, ...opts.env };
    delete env.JCR_PASSWORD;
    const r = spawnSync(process.execPath, [FN_BIN, ...(opts.args ?? [])], { input, env, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('bytes that are not UTF-8 on stdin: exit 2, one ResourceList with the error on stdout', () => {
    const out = fn(Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
    expect(out.status).toBe(2);
    expect(parseOutput(out.stdout).results).toEqual([{ severity: 'error', message: expect.stringMatching(/^the input is not valid UTF-8 \(the first invalid byte is on line 1, byte offset 6\)/) }]);
    expect(out.stderr).toMatch(/^error: the input is not valid UTF-8/);
  });

  test('a YAML list on stdin: exit 2, one ResourceList', () => {
    const out = fn('- a\n- b\n');
    expect(out.status).toBe(2);
    expect(parseOutput(out.stdout).results[0].message).toMatch(/^the input is a list, not a ResourceList/);
  });

  test('kustomize legacy plugin: a config file that is a device or FIFO is refused at once (exit 2), not read', () => {
    const fifo = join(work, 'plugin-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const [path, what] of [['/dev/zero', 'a character device'], [fifo, 'a FIFO']]) {
      const out = fn('', { args: [path], env: { KUSTOMIZE_PLUGIN_CONFIG_STRING: '' } });
      expect(out.status).toBe(2);
      expect(parseOutput(out.stdout).results[0].message).toMatch(new RegExp(`\\(named by kustomize \\(the plugin config file\\)\\): is ${what}.*not a regular file.*Fix: give kustomize \\(the plugin config file\\)`));
    }
  });

  test('kustomize legacy plugin: the config is read with the config rules (tags refused, not turned into Buffers)', () => {
    const file = join(work, 'plugin-config');
    const text = 'apiVersion: jcrkit.io/v1alpha1\nkind: JcrKit\nmetadata: {name: k}\nspec:\n  registry: {name: acme, region: cn-east-2}\n  pullSecret: {name: !!binary aGVsbG8=}\n';
    writeFileSync(file, text);
    const out = fn('', { args: [file], env: { KUSTOMIZE_PLUGIN_CONFIG_STRING: text } });
    expect(out.status).toBe(2);
    expect(parseOutput(out.stdout).results[0]).toMatchObject({ field: { path: 'spec.pullSecret.name' }, message: expect.stringMatching(/the YAML tag !!binary/) });
    const broken = fn('', { args: [file], env: { KUSTOMIZE_PLUGIN_CONFIG_STRING: 'kind: [\n' } });
    expect(broken.status).toBe(2);
    expect(parseOutput(broken.stdout).results[0].message).toMatch(/^the kustomize plugin config is not valid YAML: .*Fix: /);
  });
});

test('a functionConfig that is an alias of a tagged item is judged by what it points at', () => {
  const text = [
    'apiVersion: config.kubernetes.io/v1',
    'kind: ResourceList',
    'items:',
    '- &cfg',
    '  apiVersion: jcrkit.io/v1alpha1',
    '  kind: JcrKit',
    '  metadata: {name: shared}',
    '  spec:',
    '    registry: {name: acme, region: cn-east-2}',
    '    pullSecret: {name: !!binary aGVsbG8=}',
    'functionConfig: *cfg',
    '',
  ].join('\n');
  const out = run(text);
  expect(out.exitCode).toBe(2);
  expect(parseOutput(out.outputText).results).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^spec\.pullSecret\.name: the YAML tag !!binary \(line 10\)/) })]);
});
