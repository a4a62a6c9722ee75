/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY and `--proxy`: the NO_PROXY rules as pure functions, then
 * the real CLI through a forward proxy (test/fakes/proxy) to real docker-registry instances — a
 * plain one as the source (absolute-URI requests) and a TLS one as the destination (CONNECT) —
 * and the JD Cloud OpenAPI. The registries have host names only the proxy resolves, so anything
 * that bypassed the proxy would fail to resolve instead of passing by accident.
 */
import * as https from 'node:https';
import { ProxyResolver, bypassesProxy, parseNoProxy, proxySettingsFromEnv, redactProxyUrl } from '../../lib/core/proxy';
import { startForwardProxy, type ForwardProxy } from '../fakes/proxy/forward-proxy';
import { makeTestPki, type TestPki } from '../fakes/kube/tls';
import { buildImage, pushImage, sha256, type TestImage } from '../fakes/registry/images';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { AK, REGION, SK } from '../cloud/helpers';
import { runCli } from '../helpers/cli';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

describe('NO_PROXY rules (Go net/http semantics)', () => {
  const bypass = (url: string, noProxy: string) => bypassesProxy(new URL(url), parseNoProxy(noProxy));

  test.each([
    ['https://registry.example.com/v2/', 'example.com', true], // a domain matches its subdomains
    ['https://example.com/v2/', 'example.com', true], // and itself
    ['https://notexample.com/v2/', 'example.com', false], // not a mere suffix of the name
    ['https://example.com/v2/', '.example.com', false], // leading dot: subdomains only
    ['https://a.example.com/v2/', '*.example.com', true],
    ['https://example.com/v2/', '*.example.com', false],
    ['https://example.com:5000/v2/', 'example.com:5000', true], // port given: must match
    ['https://example.com/v2/', 'example.com:5000', false], // https default port is 443
    ['http://example.com/v2/', 'example.com:80', true],
    ['https://10.1.2.3/v2/', '10.0.0.0/8', true], // CIDR
    ['https://11.1.2.3/v2/', '10.0.0.0/8', false],
    ['https://[2001:db8::5]/v2/', '2001:db8::/32', true],
    ['https://192.0.2.7/v2/', '192.0.2.7', true],
    ['https://anything.example/v2/', '*', true],
    ['https://EXAMPLE.com/v2/', ' Example.COM , other.org', true], // case and spaces
    ['http://localhost:5000/v2/', '', true], // loopback never goes through a proxy
    ['http://127.0.0.1:5000/v2/', '', true],
    ['http://[::1]:5000/v2/', '', true],
    ['https://registry.example.com/v2/', '', false],
  ])('%s with NO_PROXY=%j bypasses: %s', (url, noProxy, expected) => {
    expect(bypass(url, noProxy)).toBe(expected);
  });

  test('HTTPS_PROXY for https, HTTP_PROXY for http; upper case first; --proxy stands in for both', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', http_proxy: 'proxy.corp:8080', no_proxy: 'corp.internal' };
    const r = new ProxyResolver(proxySettingsFromEnv(env));
    expect(r.proxyFor(new URL('https://registry-1.docker.io/v2/'))?.host).toBe('upper:3128');
    expect(r.proxyFor(new URL('http://mirror.example/v2/'))?.href).toBe('http://proxy.corp:8080/'); // no scheme = http://
    expect(r.proxyFor(new URL('https://jcr.corp.internal/v2/'))).toBeUndefined();
    const forced = new ProxyResolver(proxySettingsFromEnv(env, 'http://cli:1'));
    expect(forced.proxyFor(new URL('https://x.example/'))?.host).toBe('cli:1');
    expect(forced.proxyFor(new URL('http://x.example/'))?.host).toBe('cli:1');
    expect(forced.proxyFor(new URL('https://jcr.corp.internal/'))).toBeUndefined();
  });

  test('HTTP_PROXY is ignored under CGI (REQUEST_METHOD set), as Go does against httpoxy', () => {
    expect(proxySettingsFromEnv({ HTTP_PROXY: 'http://p:1', REQUEST_METHOD: 'GET' }).httpProxy).toBeUndefined();
  });

  test('a proxy jcrkit cannot use is refused with the variable named; credentials are never echoed', () => {
    expect(() => new ProxyResolver({ httpsProxy: 'socks5://u:secret@p:1080' })).toThrow(/HTTPS_PROXY "socks5:\/\/\*\*\*@p:1080" uses socks5:\/\//);
    expect(redactProxyUrl('http://user:pa55@proxy:3128')).toBe('http://***@proxy:3128');
  });
});

describe('through a forward proxy', () => {
  let proxy: ForwardProxy;
  let authProxy: ForwardProxy;
  let source: LocalRegistry;
  let tlsDestination: LocalRegistry;
  let jd: FakeJdcloud;
  let pki: TestPki;
  let image: TestImage;

  beforeAll(async () => {
    pki = makeTestPki();
    const certFile = join(pki.dir, 'server.crt');
    const keyFile = join(pki.dir, 'server.key');
    writeFileSync(certFile, pki.serverCert);
    writeFileSync(keyFile, pki.serverKey);
    [source, tlsDestination] = await Promise.all([startRegistry(), startRegistry({ kind: 'none' }, { certFile, keyFile })]);
    jd = await startFakeJdcloud({ accounts: { [AK]: SK }, registries: [{ regionId: REGION, name: 'myreg' }], settings: { tokenPassword: () => 'proxied-token-pw' } });
    const hosts = { 'src.registry.test': source.port, 'dst.registry.test': tlsDestination.port, 'jd.api.test': Number(new URL(jd.url).port) };
    [proxy, authProxy] = await Promise.all([startForwardProxy({ hosts }), startForwardProxy({ hosts, auth: { user: 'corp', password: 'proxy-pa55' } })]);
    image = buildImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 1 });
    await pushImage(source.url, 'src/app', 'v1', image);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), tlsDestination?.stop(), proxy?.stop(), authProxy?.stop(), jd?.close()]);
    pki?.cleanup();
  });
  beforeEach(() => {
    proxy.log.length = 0;
    authProxy.log.length = 0;
  });

  /** The destination's manifest, read directly (not through the proxy). */
  function destinationManifest(repository: string, tag: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      https
        .get(`${tlsDestination.url}/v2/${repository}/manifests/${tag}`, { rejectUnauthorized: false, headers: { accept: image.top.mediaType } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });
  }

  test('mirror: plain HTTP as absolute-URI requests, TLS through CONNECT, image intact', async () => {
    const r = await runCli(['mirror', '--insecure', '--output', 'json', 'src.registry.test/src/app:v1', 'dst.registry.test/dst/app:v1'], {
      env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
    });
    expect(r.stderr).toBe(''); // --output json: nothing but errors on stderr
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).images[0]).toMatchObject({ status: 'copied', digest: image.top.digest });
    const toSource = proxy.requestsTo('src.registry.test');
    expect(toSource.some((e) => e.kind === 'http' && e.method === 'GET' && e.path?.startsWith('/v2/src/app/blobs/'))).toBe(true);
    const toDestination = proxy.requestsTo('dst.registry.test');
    expect(toDestination.filter((e) => e.kind === 'connect').map((e) => e.target)).toContain('dst.registry.test:443');
    expect(toDestination.filter((e) => e.kind === 'http')).toEqual([]); // TLS was tunnelled, not sent in the clear
    expect(sha256(await destinationManifest('dst/app', 'v1'))).toBe(image.top.digest);
  });

  test('lower-case variables work too, and NO_PROXY sends matching hosts direct (which cannot resolve them)', async () => {
    const r = await runCli(['mirror', '--insecure', '--retries', '0', 'src.registry.test/src/app:v1', 'dst.registry.test/dst/other:v1'], {
      env: { http_proxy: proxy.url, https_proxy: proxy.url, no_proxy: '.registry.test' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: mirror of src\.registry\.test\/src\/app:v1 .*(ENOTFOUND|EAI_AGAIN)/m);
    expect(proxy.log).toEqual([]);
  });

  test('--proxy with credentials overrides the variables; the password is sent to the proxy and printed nowhere', async () => {
    const r = await runCli(['mirror', '--insecure', '--proxy', authProxy.url, 'src.registry.test/src/app:v1', 'dst.registry.test/dst/auth:v1'], {
      env: { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(0);
    expect(authProxy.log.length).toBeGreaterThan(0);
    expect(authProxy.log.every((e) => e.proxyAuthorization && e.refused === undefined)).toBe(true);
    expect(`${r.stdout}${r.stderr}`).not.toContain('proxy-pa55');
  });

  test('a proxy that refuses the tunnel is named as the cause, not the registry', async () => {
    const noCreds = authProxy.url.replace(/\/\/[^@]+@/, '//');
    const r = await runCli(['mirror', '--insecure', '--retries', '0', '--proxy', noCreds, `${source.host}/src/app:v1`, 'dst.registry.test/dst/refused:v1'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/proxy 127\.0\.0\.1:\d+ refused to tunnel to dst\.registry\.test.*407/);
  });

  test('an unusable proxy setting is bad input: exit 2, one line naming it', async () => {
    const r = await runCli(['mirror', '--proxy', 'socks5://p:1080', 'a/b:1', 'c/d:1'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --proxy "socks5://p:1080" uses socks5://, which jcrkit does not speak. Fix: use an http:// or https:// proxy\n');
  });

  test('the JD Cloud OpenAPI goes through the proxy too (jcrkit token)', async () => {
    const r = await runCli(['token', '--registry-name', 'myreg', '--region', REGION], {
      env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, JDCLOUD_ENDPOINT: 'http://jd.api.test', HTTP_PROXY: proxy.url },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('proxied-token-pw\n');
    expect(proxy.requestsTo('jd.api.test').map((e) => e.kind)).toEqual(['http']);
  });
});
