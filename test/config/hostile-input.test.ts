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
import { renderStack } from '../../lib/render';
import { jcrkit } from '../helpers/cli';
import { TEST_BUNDLE } from '../helpers/render';

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
    // one line: the file, who named it, the problem and the fix
    expect(err.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(named by --config\\): is [^\n]*$`));
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
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`error: ${path} (named by --config): is ${what}${what === 'a FIFO' ? ' (named pipe)' : ''}, not a regular file; jcrkit reads a config only from a regular file. Fix: give --config the path of a YAML file\n`);
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

describe('messages never echo more than ~100 characters of a bad value', () => {
  const HUGE = 5 * 1024 * 1024;
  const cut = new RegExp(`…" \\(${HUGE} characters\\)`);
  /** A config with one value replaced (by dotted path), validated: its issues. */
  const issuesWith = (path: string, value: unknown, yaml = BASE) => {
    const raw = parseConfigYaml(yaml, 't') as Record<string, unknown>;
    setByPath(raw, path, value);
    return configError(() => validateConfig(raw, 't'));
  };

  // A value that breaks the field's rule in its first character, so every rule must quote it.
  test.each([
    ['registry.name', 'A'],
    ['registry.region', 'A'],
    ['registry.host', 'A'],
    ['pullSecret.name', 'A'],
    ['pullSecret.namespaces', ['A']],
    ['pullSecret.serviceAccounts', ['A']],
    ['pullSecret.email', 'A'],
    ['refresher.namespace', 'A'],
    ['refresher.schedule', 'A'],
    ['refresher.credentialsSecret', 'A'],
    ['refresher.image', 'A'],
    ['dashboard.preset', 'A'],
    ['dashboard.namespace', 'A'],
    ['dashboard.image', 'A'],
    ['dashboard.service.name', 'A'],
    ['dashboard.service.loadBalancerSourceRanges', ['A']],
    ['dashboard.service.type', 'A'],
    ['admin.serviceAccount', 'A'],
    ['admin.namespace', 'A'],
    ['admin.clusterRole', '/'],
    ['refresher.tokenHours', '1'],
    ['cloud.vpc.name', '!'],
    ['cloud.vpc.cidr', 'A'],
    ['cloud.cluster.masterCidr', 'A'],
    ['cloud.subnets', [{ name: '!', cidr: '10.0.0.0/24' }]],
  ])('%s', (path, seed) => {
    const big = (s: string) => s.repeat(HUGE);
    const value = Array.isArray(seed) ? (seed as (string | { name: string; cidr: string })[]).map((x) => (typeof x === 'string' ? big(x) : { ...x, name: big(x.name) })) : big(seed as string);
    const err = issuesWith(path, value);
    expect(err.issues).toHaveLength(1);
    const [issue] = err.issues;
    expect(issue.message.length).toBeLessThan(600);
    expect(issue.message).toMatch(/Fix: /);
    // Either quoted and cut with its length, or not echoed at all.
    if (issue.message.includes('AAAA') || issue.message.includes('1111') || issue.message.includes('!!!!') || issue.message.includes('////')) expect(issue.message).toMatch(cut);
    expect(err.message.length).toBeLessThan(800);
  });

  test('a 5 MB key is cut in the field path too', () => {
    // An implicit key is at most 1024 characters in YAML; an explicit one (`? key`) has no limit.
    const err = configError(() => validateConfig(parseConfigYaml(`${BASE}? ${'k'.repeat(HUGE)}\n: 1\n`, 't'), 't'));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0].path).toMatch(new RegExp(`^k{60}… \\(${HUGE} characters\\)$`));
    expect(err.message.length).toBeLessThan(400);
  });

  test('the cut form is `"aaaa…" (N characters)`, never splitting a surrogate pair', () => {
    const err = issuesWith('pullSecret.name', `${'A'.repeat(99)}🚀${'A'.repeat(200)}`);
    expect(err.issues[0].message).toMatch(/^"A{99}…" \(301 characters\) is 301 characters long/);
    const short = issuesWith('pullSecret.name', 'Bad_Name');
    expect(short.issues[0].message).toMatch(/^"Bad_Name" is not a valid Secret name/);
  });

  test('a value with a newline or control characters stays on one line', () => {
    const err = issuesWith('pullSecret.name', 'bad\nname\u0007');
    expect(err.issues[0].message).toMatch(/^"bad\\nname\\u0007" is not a valid Secret name/);
    expect(err.message.split('\n')).toHaveLength(2);
  });
});

describe('values the schema used to miss', () => {
  const accept = (yaml: string) => validateConfig(parseConfigYaml(yaml, 't'), 't');
  const onlyIssue = (yaml: string) => {
    const issues = issuesOfYaml(yaml);
    expect(issues).toHaveLength(1);
    return issues[0];
  };

  describe('registry.host is host[:port]', () => {
    test.each(['reg.example.com', 'reg.example.com:5000', 'localhost:5000', '10.0.0.5', '10.0.0.5:65535', '[2001:db8::1]:5000', '[::1]', 'a-b.c-d.example'])('%s is accepted', (host) => {
      expect(accept(`registry: {name: pocexam, region: cn-north-1, host: "${host}"}\n`).config.registry.host).toBe(host);
    });

    test.each([
      ['https://reg.example.com', /starts with a scheme\. Fix: drop the scheme/],
      ['reg.example.com/v2', /contains a path\. Fix: drop everything from the first '\/'/],
      ['user:secret@reg.example.com', /contains user info .*Fix: drop the user and password/],
      ['reg.example.com:0', /has port "0", which is not a port\. Fix: use a port from 1 to 65535/],
      ['reg.example.com:65536', /has port "65536"/],
      ['reg.example.com:http', /has port "http"/],
      ['reg.example.com:', /has port ""/],
      ['2001:db8::1', /has more than one ':'\. Fix: write an IPv6 address in brackets/],
      ['[fe80::1%eth0]:5000', /is not a bracketed IPv6 address .*\(a zone id is not allowed\)/],
      ['[not-an-ip]:5000', /is not a bracketed IPv6 address/],
      ['999.1.1.1', /is not a valid IPv4 address/],
      ['-reg.example.com', /is not a DNS host name/],
      ['reg..example.com', /is not a DNS host name/],
      ['reg_1.example.com', /is not a DNS host name/],
      ['Reg.Example.com', /has upper-case letters\. Fix: write the host name in lower case/],
      [`${'a'.repeat(64)}.example.com`, /has a part of 64 characters between dots, more than the 63 DNS allows/],
      [`${'a.'.repeat(127)}com`, /is 257 characters long, more than the 253 of a DNS name/],
      ['', /^is empty\. Fix: /],
      [':5000', /has no host before the port/],
    ])('%s is refused', (host, message) => {
      const issue = onlyIssue(`registry: {name: pocexam, region: cn-north-1, host: "${host}"}\n`);
      expect(issue.path).toBe('registry.host');
      expect(issue.message).toMatch(message);
      expect(issue.message).toMatch(/Fix: /);
    });

    test('a bracketed IPv6 host renders image references the cluster can pull, and pulls with the Secret', () => {
      const { config } = accept(`registry: {name: pocexam, region: cn-north-1, host: "[2001:db8::1]:5000"}\n`);
      expect(config.dashboard.image).toBe('[2001:db8::1]:5000/kubernetesui/dashboard:v2.7.0');
      expect(config.pullSecret.namespaces).toEqual(['kube-system', 'kubernetes-dashboard']);
    });

    test('the default host {name}-{region}.jcr.service.jdcloud.com must be a DNS name: its first label fits in 63', () => {
      const name = 'a'.repeat(32);
      const long = `cn-${'a'.repeat(23)}-1234`; // 31 characters: 32 + '-' + 31 = 64
      const fits = `cn-${'a'.repeat(22)}-1234`;
      const issue = onlyIssue(`registry: {name: ${name}, region: ${long}}\n`);
      expect(issue.path).toBe('registry.region');
      expect(issue.message).toMatch(/makes the first part of the default registry host, .* 64 characters long, over the 63 a DNS label allows\. Fix: keep registry\.name and registry\.region together at most 62 characters, or set registry\.host/);
      expect(accept(`registry: {name: ${name}, region: ${fits}}\n`).config.registry.host).toBe(`${name}-${fits}.jcr.service.jdcloud.com`);
      expect(accept(`registry: {name: ${name}, region: ${long}, host: reg.example.com}\n`).config.registry.host).toBe('reg.example.com');
    });
  });

  describe('CIDRs', () => {
    test.each([
      ['fe80::1%eth0/64', /has a zone id/],
      ['10.0.0.0/08', /prefix length has a leading zero/],
      ['10.0.0.0/33', /an IPv4 prefix length is at most 32/],
      ['2001:db8::/129', /an IPv6 prefix length is at most 128/],
      ['10.0.0/8', /neither IPv4 nor IPv6/],
    ])('%s is not a CIDR', (range, message) => {
      const issue = onlyIssue(`${BASE}dashboard: {service: {loadBalancerSourceRanges: ["${range}"]}}\n`);
      expect(issue).toEqual({ path: 'dashboard.service.loadBalancerSourceRanges[0]', message: expect.stringMatching(/^".*" is not a CIDR: .*Fix: write an address block/) });
      expect(issue.message).toMatch(message);
    });

    test.each([
      ['10.0.1.5/16', '10.0.0.0/16', '10.0.1.5/32'],
      ['203.0.113.77/24', '203.0.113.0/24', '203.0.113.77/32'],
      ['2001:db8::1/32', '2001:db8::/32', '2001:db8::1/128'],
      ['2001:db8:0:0:1:0:0:1/64', '2001:db8::/64', '2001:db8:0:0:1:0:0:1/128'],
      ['::ffff:192.0.2.128/120', '::ffff:c000:200/120', '::ffff:192.0.2.128/128'],
    ])('%s has host bits set: accepted with a warning naming the field and the network %s', (range, network, single) => {
      const { config, warnings } = accept(`${BASE}dashboard: {service: {loadBalancerSourceRanges: ["203.0.113.0/24", "${range}"]}}\n`);
      expect(config.dashboard.service.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', range]);
      expect(warnings).toEqual([
        `dashboard.service.loadBalancerSourceRanges[1]: ${range} has host bits set, so it means the network ${network} (the Kubernetes API server warns the same). Fix: write ${network}, or ${single} for that single address`,
      ]);
    });

    test('network addresses and single hosts get no warning', () => {
      expect(accept(`${BASE}dashboard: {service: {loadBalancerSourceRanges: [10.0.0.0/16, 198.51.100.7/32, "2001:db8::/32", 0.0.0.0/0]}}\n`).warnings).toEqual([]);
    });

    test('the warning reaches `jcrkit synth` and the file is still rendered', () => {
      const path = file('host-bits.yaml', `${BASE}dashboard: {service: {loadBalancerSourceRanges: [10.0.1.5/16]}}\n`);
      const r = jcrkit(['synth', '--config', path, '--stdout']);
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/^warning: dashboard\.service\.loadBalancerSourceRanges\[0\]: 10\.0\.1\.5\/16 has host bits set, so it means the network 10\.0\.0\.0\/16/m);
      expect(r.stdout).toContain('- 10.0.1.5/16');
    });
  });

  describe('names jcrkit derives from user names fit Kubernetes limits', () => {
    test('admin.serviceAccount: the token Secret <sa>-token is a Secret name (at most 253)', () => {
      const ok = 'a'.repeat(247);
      const { config } = accept(`${BASE}admin: {serviceAccount: ${ok}, tokenSecret: true}\n`);
      const secret = renderStack(config, { refresherBundle: TEST_BUNDLE }).files.flatMap((f) => f.objects).find((o) => o.kind === 'Secret' && o.type === 'kubernetes.io/service-account-token');
      expect(secret?.metadata.name).toBe(`${ok}-token`);
      expect(secret?.metadata.name).toHaveLength(253);
      // checked whether or not the Secret is rendered, so turning admin.tokenSecret on cannot break the render
      const issue = onlyIssue(`${BASE}admin: {serviceAccount: ${'a'.repeat(248)}}\n`);
      expect(issue.path).toBe('admin.serviceAccount');
      expect(issue.message).toMatch(/is 248 characters long, so the token Secret jcrkit names after it \("a+…" \(254 characters\)\) would be 254 characters, over Kubernetes' limit of 253 for Secret names\. Fix: use at most 247 characters$/);
    });

    test('admin.clusterRole no longer names the ClusterRoleBinding: a 253-character role is fine; the binding is named admin.bindingName or the ServiceAccount', () => {
      const role = 'r'.repeat(253);
      const { config } = accept(`${BASE}admin: {clusterRole: ${role}}\n`);
      const binding = renderStack(config, { refresherBundle: TEST_BUNDLE }).files.flatMap((f) => f.objects).find((o) => o.kind === 'ClusterRoleBinding' && (o.roleRef as { name?: string }).name === role);
      expect(binding?.metadata.name).toBe('dashboard-admin');
      expect(onlyIssue(`${BASE}admin: {clusterRole: ${'r'.repeat(254)}}\n`)).toEqual({ path: 'admin.clusterRole', message: expect.stringMatching(/more than the 253 allowed for a ClusterRole name/) });
      expect(onlyIssue(`${BASE}admin: {bindingName: "a/b"}\n`)).toEqual({ path: 'admin.bindingName', message: expect.stringMatching(/is not a valid ClusterRoleBinding name\. Fix: write a name without/) });
    });

    test('one message per field: a name too long for itself is not also reported for its derived name', () => {
      expect(onlyIssue(`${BASE}admin: {serviceAccount: ${'a'.repeat(300)}}\n`).message).toMatch(/more than the 253 allowed for a ServiceAccount name/);
    });

    // The class, not the examples: with every name field at the longest value the schema accepts,
    // every object jcrkit renders must still be valid for the API server.
    test('with every name at its longest accepted value, every rendered name, namespace and label is valid', () => {
      const label = (c: string) => c.repeat(63);
      const sub = (c: string, n = 253) => `${c.repeat(n - 4)}.${c}${c}${c}`;
      const yaml = `${BASE}${[
        `pullSecret: {name: ${sub('p')}, namespaces: [${label('n')}], serviceAccounts: [${sub('s')}]}`,
        `refresher: {namespace: ${label('r')}, credentialsSecret: ${sub('c')}}`,
        `dashboard: {namespace: ${label('d')}, service: {name: ${label('v')}}}`,
        `admin: {serviceAccount: ${sub('a', 247)}, namespace: ${label('m')}, clusterRole: "system:${'x'.repeat(243 - 7)}"}`,
      ].join('\n')}\n`;
      for (const preset of ['v2.7.0', 'v1.10.1', 'headlamp']) {
        const { config } = accept(yaml.replace('dashboard: {', `dashboard: {preset: ${preset}, `).replace('admin: {', 'admin: {tokenSecret: true, '));
        const objects = renderStack(config, { refresherBundle: TEST_BUNDLE }).files.flatMap((f) => f.objects);
        expect(objects.length).toBeGreaterThan(10);
        for (const o of objects) {
          const where = `${o.kind} ${o.metadata.name}`;
          expect([where, nameProblem(o.kind, o.metadata.name)]).toEqual([where, undefined]);
          if (o.metadata.namespace !== undefined) expect([where, dnsLabelProblem(o.metadata.namespace)]).toEqual([where, undefined]);
          for (const labels of labelMaps(o)) {
            for (const [k, v] of Object.entries(labels)) expect([where, k, labelValueProblem(v)]).toEqual([where, k, undefined]);
          }
        }
      }
    });
  });

  test('ClusterRole names follow the RBAC path-segment rule: system:aggregate-to-view is valid', () => {
    const { config } = accept(`${BASE}admin: {clusterRole: "system:aggregate-to-view"}\n`);
    const binding = renderStack(config, { refresherBundle: TEST_BUNDLE }).files.flatMap((f) => f.objects).find((o) => o.kind === 'ClusterRoleBinding' && (o.roleRef as { name?: string } | undefined)?.name === 'system:aggregate-to-view');
    expect(binding?.metadata.name).toBe('dashboard-admin');
    for (const bad of ['a/b', 'a%2Fb', '.', '..', 'has space', '']) {
      const issue = onlyIssue(`${BASE}admin: {clusterRole: "${bad}"}\n`);
      expect(issue.path).toBe('admin.clusterRole');
      expect(issue.message).toMatch(bad === '' ? /^is empty/ : /is not a valid ClusterRole name\. Fix: write a name without '\/', '%' or spaces/);
    }
  });

  test('a Service name must be a DNS-1035 label (start with a letter)', () => {
    expect(onlyIssue(`${BASE}dashboard: {service: {name: 1dashboard}}\n`)).toEqual({
      path: 'dashboard.service.name',
      message: expect.stringMatching(/^"1dashboard" is not a valid Service name \(DNS-1035 label\)\. Fix: .*starting with a letter/),
    });
  });
});

// ---- Kubernetes' own name rules (apimachinery validation), for checking rendered objects ---------

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function dnsLabelProblem(v: string): string | undefined {
  return v.length <= 63 && DNS_LABEL.test(v) ? undefined : `not a DNS-1123 label (${v.length})`;
}

function nameProblem(kind: string, name: string): string | undefined {
  switch (kind) {
    case 'Namespace':
      return dnsLabelProblem(name);
    case 'Service':
      return name.length <= 63 && DNS_1035.test(name) ? undefined : `not a DNS-1035 label (${name.length})`;
    case 'Role':
    case 'RoleBinding':
    case 'ClusterRole':
    case 'ClusterRoleBinding':
      return name.length <= 253 && name !== '.' && name !== '..' && !/[/%]/.test(name) ? undefined : `not an RBAC path segment name (${name.length})`;
    case 'CronJob':
      // The Job controller appends an 11-character suffix to a CronJob's name.
      return name.length <= 52 && DNS_SUBDOMAIN.test(name) ? undefined : `not a CronJob name (${name.length})`;
    default:
      return name.length <= 253 && DNS_SUBDOMAIN.test(name) ? undefined : `not a DNS-1123 subdomain (${name.length})`;
  }
}

function labelValueProblem(v: unknown): string | undefined {
  return typeof v === 'string' && v.length <= 63 && LABEL_VALUE.test(v) ? undefined : `not a label value (${String(v).length})`;
}

/** Every labels mapping of an object: its own, and those of pod templates and selectors below it. */
function labelMaps(o: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown, key?: string) => {
    if (v === null || typeof v !== 'object') return;
    if ((key === 'labels' || key === 'matchLabels') && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(o);
  return out;
}
