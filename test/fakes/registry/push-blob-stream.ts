/**
 * Upload a stream of unknown size and digest (POST, streamed PATCH, PUT with the digest computed
 * on the way), to seed registries for benchmarks without holding blobs in memory. The mirror
 * always knows the digest and size of what it copies, so it never uploads this way; this is built
 * from the client's endpoint methods and its request layer instead of being one of them.
 */
import { createHash } from 'node:crypto';
import { Transform, pipeline, type Readable } from 'node:stream';
import type { RegistryClient } from '../../../lib/registry';
import { discardBody } from '../../../lib/registry/http';

export async function pushBlobStream(client: RegistryClient, repository: string, content: Readable, signal?: AbortSignal): Promise<{ digest: string; size: number }> {
  const start = await client.startUpload(repository, undefined, signal);
  if (start.mounted) throw new Error('unreachable: no mount requested');
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const body = pipeline(content, measure, () => undefined); // errors surface through the PATCH
  const patched = await client.http.request({
    method: 'PATCH',
    url: start.location,
    scopes: client.scopesFor(repository),
    headers: { 'content-type': 'application/octet-stream' },
    body,
    what: `upload to ${repository}`,
    signal,
  });
  await client.http.expect(patched, [202], `upload to ${repository}`);
  await discardBody(patched.body);
  const digest = `sha256:${hash.digest('hex')}`;
  const finish = new URL(await client.http.locationOf(patched, repository));
  finish.searchParams.set('digest', digest);
  const done = await client.http.request({
    method: 'PUT',
    url: finish,
    scopes: client.scopesFor(repository),
    headers: { 'content-length': 0 },
    body: Buffer.alloc(0),
    what: `upload of ${digest}`,
    signal,
  });
  await client.http.expect(done, [201], `upload of ${digest} to ${repository}`);
  await discardBody(done.body);
  return { digest, size };
}
