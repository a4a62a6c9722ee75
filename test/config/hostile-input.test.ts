/**
 * Hostile config input: what the config loader must refuse, and how. Every class of input that
 * once hung, crashed, polluted the prototype or echoed megabytes has a test here; each asserts the
 * message names the field (or the file) and the fix.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, decodeUtf8, DEFAULT_CONFIG_YAML, loadConfig, MAX_CONFIG_BYTES, parseConfigValue, parseConfigYaml, readConfigFile, setByPath, validateConfig } from '../../lib/config';
import { jcrkit } from '../helpers/cli';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-hostile-config-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BASE = 'registry: {name: pocexam, region: cn-north-1}\n';

function file(name: string, content: string | Buffer): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

/** The ConfigError `fn` throws (failing the test when it throws nothing or something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw new Error(`expected a ConfigError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected a ConfigError, but the input was accepted');
}

const issuesOfYaml = (yaml: string) => configError(() => validateConfig(parseConfigYaml(yaml, 'test.yaml'), 'test.yaml')).issues;

describe('config files: only regular files, at most 1 MiB, valid UTF-8', () => {
  test.each([
    ['/dev/zero (a character device that never ends)', () => '/dev/zero', /^is a character device, not a regular file; .*Fix: give --config the path of a YAML file$/],
    ['a directory', () => work, /^is a directory, not a regular file/],
    [
      'a FIFO (would block until a writer came)',
      () => {
        const path = join(work, 'fifo');
        expect(spawnSync('mkfifo', [path]).status).toBe(0);
        return path;
      },
      /^is a FIFO \(named pipe\), not a regular file/,
    ],
    [
      'a symlink to /dev/zero',
      () => {
        const path = join(work, 'zero-link.yaml');
        symlinkSync('/dev/zero', path);
        return path;
      },
      /^is a character device, not a regular file/,
    ],
    [
      'a Unix socket (cannot even be opened)',
      () => {
        const path = join(work, 'sock');
        // Exiting without close() leaves the socket file behind.
        const r = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`]);
        expect(r.status).toBe(0);
        return path;
      },
      /^is a socket, not a regular file/,
    ],
  ])('%s is refused before it is read', (_name, makePath, message) => {
    const path = makePath();
    const err = configError(() => loadConfig({ path, env: {} }));
    expect(err.issues).toEqual([{ path: '(file)', message: expect.stringMatching(message) }]);
    expect(err.message).toMatch(new RegExp(`^invalid config \\(${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\):\n {2}\\(file\\): is `));
  });

  test('JCRKIT_CONFIG pointing at a device is refused the same way, and the fix names JCRKIT_CONFIG', () => {
    const err = configError(() => loadConfig({ env: { JCRKIT_CONFIG: '/dev/zero' } }));
    expect(err.issues[0].message).toMatch(/character device.*Fix: give JCRKIT_CONFIG the path of a YAML file/);
  });

  test('a file over 1 MiB is refused, naming the cap; exactly 1 MiB is read', () => {
    const filler = (bytes: number) => `${BASE}#${'x'.repeat(bytes - BASE.length - 2)}\n`;
    const atCap = file('at-cap.yaml', filler(MAX_CONFIG_BYTES));
    expect(MAX_CONFIG_BYTES).toBe(1024 * 1024);
    expect(loadConfig({ path: atCap, env: {} }).config.registry.name).toBe('pocexam');
    const over = file('over-cap.yaml', filler(MAX_CONFIG_BYTES + 1));
    expect(configError(() => loadConfig({ path: over, env: {} })).issues).toEqual([
      { path: '(file)', message: expect.stringMatching(/^is 1048577 bytes, more than the 1 MiB \(1048576 bytes\) a config file may have\. Fix: /) },
    ]);
  });

  test('invalid UTF-8 is refused with the line and byte offset of the first bad byte (never turned into U+FFFD)', () => {
    const bad = file('latin1.yaml', Buffer.concat([Buffer.from(`${BASE}pullSecret: {name: "caf`), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    expect(configError(() => loadConfig({ path: bad, env: {} })).issues).toEqual([
      { path: '(file)', message: `is not valid UTF-8 (the first invalid byte is on line 2, byte offset ${BASE.length + 23}). Fix: save the file as UTF-8` },
    ]);
  });

  test('valid UTF-8 (CJK, emoji) and a BOM are read', () => {
    const ok = file('utf8.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`# 京东云 🚀\n${BASE}cloud: {vpc: {name: 生产}}\n`)]));
    expect(readConfigFile(ok)).toBe(`# 京东云 🚀\n${BASE}cloud: {vpc: {name: 生产}}\n`);
    expect(loadConfig({ path: ok, env: {} }).config.registry.name).toBe('pocexam');
  });

  test.each([
    ['a lone continuation byte', [0x61, 0x0a, 0x62, 0x80, 0x63], 3, 2],
    ['a sequence broken by an ASCII byte', [0x61, 0x0a, 0x0a, 0xe4, 0xba, 0x41], 3, 3],
    ['a sequence cut off by the end of the file', [0x61, 0x62, 0xf0, 0x9f, 0x9a], 2, 1],
    ['an overlong encoding', [0xc0, 0xaf], 0, 1],
    ['a UTF-16 surrogate encoded as UTF-8', [0x61, 0xed, 0xa0, 0x80], 1, 1],
  ])('decodeUtf8 finds %s', (_name, bytes, offset, line) => {
    expect(decodeUtf8(Uint8Array.from(bytes))).toEqual({ offset, line });
  });

  test('a missing or unreadable file is one clear message', () => {
    expect(configError(() => loadConfig({ path: join(work, 'nope.yaml'), env: {} })).issues).toEqual([{ path: '(file)', message: 'cannot read the config file (ENOENT). Fix: check the path given to --config' }]);
  });

  test('black box: `jcrkit synth --config /dev/zero` and a FIFO fail at once with one message, nothing written', () => {
    const fifo = join(work, 'cli-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const [path, what] of [['/dev/zero', 'a character device'], [fifo, 'a FIFO']]) {
      const out = join(work, `out-${what.replace(/\W/g, '')}`);
      const started = Date.now();
      const r = jcrkit(['synth', '--config', path, '--out', out]);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`invalid config (${path}):\n  (file): is ${what}${what === 'a FIFO' ? ' (named pipe)' : ''}, not a regular file; jcrkit reads a config only from a regular file. Fix: give --config the path of a YAML file\n`);
      expect(spawnSync('test', ['-e', out]).status).not.toBe(0);
    }
  });
});

describe('YAML: the core schema only, bounded aliases, no prototype pollution', () => {
  test.each([
    ['!!binary', `${BASE}pullSecret: {name: !!binary aGVsbG8=}\n`, 'pullSecret.name', 2],
    ['!!set', `${BASE}pullSecret:\n  namespaces: !!set {apps, web}\n`, 'pullSecret.namespaces', 3],
    ['!!timestamp', `${BASE}refresher:\n  schedule: !!timestamp 2001-12-14\n`, 'refresher.schedule', 3],
    ['!!omap', `${BASE}images:\n  digests: !!omap [a: b]\n`, 'images.digests', 3],
    ['!foo', `${BASE}pullSecret:\n  namespaces:\n    - apps\n    - !foo web\n`, 'pullSecret.namespaces[1]', 5],
    ['!!set', `!!set\n${BASE}`, '(root)', 2], // on the document itself: the line where its mapping starts
  ])('%s is an error naming the field, the line and the fix', (tag, yaml, path, line) => {
    const issues = issuesOfYaml(yaml);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(path);
    expect(issues[0].message).toMatch(new RegExp(`^the YAML tag ${tag} \\(line ${line}\\) is not supported: .*Fix: remove the tag`));
  });

  test('an alias without its anchor names the field', () => {
    expect(issuesOfYaml(`${BASE}pullSecret: {name: *secret}\n`)).toEqual([
      { path: 'pullSecret.name', message: 'the YAML alias *secret (line 2) refers to no anchor &secret before it. Fix: define the anchor first, or quote the value if "*" is meant literally' },
    ]);
  });

  test('the core schema\'s own tags are fine, and a %YAML 1.1 directive does not bring 1.1 types back', () => {
    const { config } = validateConfig(parseConfigYaml(`${BASE}pullSecret: {name: !!str on}\ndashboard: {service: {port: !!int 8443}}\n`, 't'), 't');
    expect(config.pullSecret.name).toBe('on');
    expect(config.dashboard.service.port).toBe(8443);
    // In YAML 1.1 `yes` is a boolean and `!!binary` a Buffer; here `yes` stays a string (a type error), the tag an error.
    expect(issuesOfYaml(`%YAML 1.1\n---\n${BASE}refresher: {enabled: yes}\n`)).toEqual([{ path: 'refresher.enabled', message: 'expected boolean, got string "yes". Fix: write a boolean' }]);
    expect(issuesOfYaml(`%YAML 1.1\n---\n${BASE}pullSecret: {name: !!binary aGVsbG8=}\n`)[0]).toMatchObject({ path: 'pullSecret.name', message: expect.stringMatching(/^the YAML tag !!binary/) });
  });

  test('`<<` merge keys are not YAML 1.2: reported as an unknown key, not merged', () => {
    expect(issuesOfYaml(`x: &r {name: pocexam, region: cn-north-1}\nregistry: {<<: *r}\n`).map((i) => i.path)).toEqual(expect.arrayContaining(['x', 'registry.<<']));
  });

  test('an alias bomb is one error, fast; ordinary anchors and aliases still work', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const bomb = `${BASE}${levels.join('\n')}\n`;
    const started = Date.now();
    const err = configError(() => parseConfigYaml(bomb, 'bomb.yaml'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.issues).toEqual([{ path: '(root)', message: expect.stringMatching(/^its YAML aliases \(\*name\) expand to more than 100 values, the pattern of an "alias bomb".*Fix: write the values out/) }]);

    const { config } = validateConfig(parseConfigYaml(`${BASE}pullSecret: {namespaces: &ns [apps, web]}\nrefresher: {namespace: &n ops}\nadmin: {namespace: *n}\n`, 't'), 't');
    expect(config.admin.namespace).toBe('ops');
  });

  test('an alias that makes a value contain itself is refused', () => {
    expect(configError(() => parseConfigYaml(`${BASE}images: &i {digests: *i}\n`, 't')).issues).toEqual([{ path: 'images.digests', message: 'is a YAML alias of a value that contains it (a cycle). Fix: remove the alias' }]);
  });

  test('`__proto__` is a key like any other: named as written, never reaching Object.prototype', () => {
    expect(issuesOfYaml(`registry:\n  name: pocexam\n  region: cn-north-1\n  __proto__: {polluted: yes}\n`)).toEqual([
      { path: 'registry.__proto__', message: 'unknown key. Fix: remove it or use one of: name, region, host, crService' },
    ]);
    expect(issuesOfYaml(`${BASE}__proto__:\n  polluted: true\n`).map((i) => i.path)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each(['__proto__.polluted', 'registry.__proto__.polluted', 'constructor.prototype.polluted', 'registry.constructor.polluted'])(
    'override %s sets an own key (reported as unknown), never the prototype',
    (key) => {
      const err = configError(() => loadConfig({ env: {}, overrides: { [key]: 'yes' } }));
      const expected = key.split('.').slice(0, key.startsWith('registry.') ? 2 : 1).join('.');
      expect(err.issues).toEqual([expect.objectContaining({ path: expected, message: expect.stringMatching(/^unknown key\. Fix: remove it/) })]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      const target: Record<string, unknown> = {};
      setByPath(target, key, 1);
      expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
      expect(Object.keys(target)).toEqual([key.split('.')[0]]);
    },
  );

  test('values that are not plain data (from code or a lenient YAML reader) are refused by path', () => {
    const raw = parseConfigYaml(DEFAULT_CONFIG_YAML, 'd') as Record<string, unknown>;
    setByPath(raw, 'pullSecret.name', Buffer.from('hello'));
    setByPath(raw, 'refresher.schedule', new Date(0));
    setByPath(raw, 'pullSecret.namespaces', new Set(['apps']));
    expect(configError(() => validateConfig(raw, 'code')).issues.map((i) => [i.path, i.message.split(',')[0]]).sort()).toEqual([
      ['pullSecret.name', 'is a Buffer value'],
      ['pullSecret.namespaces', 'is a Set value'],
      ['refresher.schedule', 'is a Date value'],
    ]);
  });

  test('kpt-style values are read with the same rules: a tag is an error, other text is the string it is', () => {
    expect(parseConfigValue('8443', 'dashboard.service.port', 'cm')).toBe(8443);
    expect(parseConfigValue('[apps, web]', 'pullSecret.namespaces', 'cm')).toEqual(['apps', 'web']);
    expect(parseConfigValue('*nothing', 'pullSecret.name', 'cm')).toBe('*nothing');
    expect(configError(() => parseConfigValue('!!binary aGVsbG8=', 'pullSecret.name', 'cm')).issues).toEqual([
      { path: 'pullSecret.name', message: expect.stringMatching(/^the YAML tag !!binary \(line 1\) is not supported/) },
    ]);
  });

  test('malformed YAML is one message (the first error), not one per echo of it', () => {
    const issues = issuesOfYaml('registry: {name: pocexam\n  region: [');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual({ path: '(root)', message: expect.stringMatching(/^malformed YAML at line 1, column \d+: .*\(fix it first: the parser may report more problems after it\)\. Fix: correct the YAML syntax/) });
    const deep = issuesOfYaml(`a: ${'['.repeat(100_000)}`);
    expect(deep).toHaveLength(1);
  });

  test('the same issue found twice is reported once', () => {
    const err = new ConfigError('s', [
      { path: 'a', message: 'm. Fix: f' },
      { path: 'a', message: 'm. Fix: f' },
      { path: 'b', message: 'm. Fix: f' },
    ]);
    expect(err.issues).toHaveLength(2);
    expect(err.message).toBe('invalid config (s):\n  a: m. Fix: f\n  b: m. Fix: f');
  });
});
