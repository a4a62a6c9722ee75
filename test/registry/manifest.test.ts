import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestVerifier, digestOf, isDigest, shortDigest } from '../../lib/registry/digest';
import { blobsOf, formatPlatform, MediaTypes, parseManifest, parsePlatform, selectPlatform, type Descriptor } from '../../lib/registry/manifest';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseManifest', () => {
  const index = { schemaVersion: 2, mediaType: MediaTypes.OciIndex, manifests: [{ mediaType: MediaTypes.OciManifest, digest: d(1), size: 10, platform: { os: 'linux', architecture: 'amd64' } }] };
  const image = { schemaVersion: 2, config: { mediaType: 'x', digest: d(2), size: 2 }, layers: [{ mediaType: 'y', digest: d(3), size: 3 }] };

  test('index and image manifests; media type from Content-Type, the document, or its shape', () => {
    expect(parseManifest(json(index))).toMatchObject({ kind: 'index', mediaType: MediaTypes.OciIndex });
    expect(parseManifest(json(image))).toMatchObject({ kind: 'image', mediaType: MediaTypes.OciManifest, config: { digest: d(2) } });
    expect(parseManifest(json(image), `${MediaTypes.DockerManifest}; charset=utf-8`).mediaType).toBe(MediaTypes.DockerManifest);
    expect(parseManifest(json({ ...index, mediaType: undefined }), 'application/json').kind).toBe('index');
  });

  test('refuses schema 1, non-JSON and malformed descriptors with a reason', () => {
    expect(() => parseManifest(json({ schemaVersion: 1, fsLayers: [] }))).toThrow('Docker schema 1 manifests are not supported');
    expect(() => parseManifest(Buffer.from('<html>'))).toThrow('manifest is not valid JSON');
    expect(() => parseManifest(json({ ...image, layers: [{ digest: 'sha256:zz', size: 1 }] }))).toThrow('malformed descriptor in layers[0]');
  });

  test('foreign (non-distributable) layers with URLs are not copied', () => {
    const parsed = parseManifest(
      json({ ...image, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', digest: d(4), size: 4, urls: ['https://mcr/x'] }, image.layers[0]] }),
    );
    if (parsed.kind !== 'image') throw new Error('expected an image');
    expect(blobsOf(parsed).map((b) => b.digest)).toEqual([d(2), d(3)]);
  });
});

describe('platforms', () => {
  const entry = (platform: string, n: number): Descriptor => {
    const [os, architecture, variant] = platform.split('/');
    return { mediaType: MediaTypes.OciManifest, digest: d(n), size: 1, platform: { os, architecture, ...(variant ? { variant } : {}) } };
  };
  const list = [entry('linux/amd64', 1), entry('linux/arm/v6', 2), entry('linux/arm/v7', 3), entry('linux/arm64/v8', 4), entry('unknown/unknown', 5)];

  test('parse and format', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(() => parsePlatform('linux')).toThrow('expected os/arch[/variant]');
    expect(formatPlatform({ os: 'windows', architecture: 'amd64' })).toBe('windows/amd64');
  });

  test('exact match, variant implied when unambiguous, ambiguity and absence explained', () => {
    expect(selectPlatform(list, parsePlatform('linux/amd64')).digest).toBe(d(1));
    expect(selectPlatform(list, parsePlatform('linux/arm64')).digest).toBe(d(4));
    expect(selectPlatform(list, parsePlatform('linux/arm/v7')).digest).toBe(d(3));
    expect(() => selectPlatform(list, parsePlatform('linux/arm'))).toThrow('platform linux/arm is ambiguous (matches linux/arm/v6, linux/arm/v7); add the variant');
    expect(() => selectPlatform(list, parsePlatform('linux/ppc64le'))).toThrow('(it has: linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8)');
  });
});

describe('digests and the streaming verifier', () => {
  const content = Buffer.from('hello registry, '.repeat(5000));
  const digest = digestOf(content);
  const chunks = (buf: Buffer, size = 1000) => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

  async function run(source: Readable, expectedDigest = digest, size = content.length) {
    const received: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        received.push(chunk);
        cb();
      },
    });
    const error = await pipeline(source, new DigestVerifier(expectedDigest, size, 'blob from test'), sink).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    return { error, received: Buffer.concat(received) };
  }

  test('digest helpers', () => {
    expect(isDigest(digest)).toBe(true);
    expect(isDigest('sha256:abc')).toBe(false);
    expect(isDigest(`sha512:${'0'.repeat(128)}`)).toBe(true);
    expect(shortDigest(digest)).toBe(digest.slice(0, 19));
  });

  test('good content passes through whole', async () => {
    const { error, received } = await run(chunks(content));
    expect(error).toBeUndefined();
    expect(received.equals(content)).toBe(true);
  });

  test('a corrupt byte fails and the final chunk is never delivered', async () => {
    const bad = Buffer.from(content);
    bad[10] ^= 1;
    const { error, received } = await run(chunks(bad));
    expect(error).toMatchObject({ code: 'digest-mismatch' });
    expect(error!.message).toContain(`blob from test does not match its digest ${digest}`);
    // everything but the last chunk went through, so the upload stays short of Content-Length
    expect(received.length).toBe(content.length - 1000);
  });

  test('short and long content fail as size mismatches', async () => {
    const short = await run(chunks(content.subarray(0, 30000)));
    expect(short.error).toMatchObject({ code: 'size-mismatch', retryable: true });
    expect(short.error!.message).toContain('delivered 30000 of 80000 bytes (truncated)');
    const long = await run(chunks(Buffer.concat([content, Buffer.from('x')])));
    expect(long.error).toMatchObject({ code: 'size-mismatch' });
  });

  test('an empty blob verifies', async () => {
    const { error } = await run(Readable.from([]), digestOf(Buffer.alloc(0)), 0);
    expect(error).toBeUndefined();
  });
});
