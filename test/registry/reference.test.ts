import { formatImageReference, parseImageReference } from '../../lib/registry';
import { isSameRegistry, registryApiHost } from '../../lib/registry/reference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test.each([
  ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: undefined }],
  ['nginx:1.25', { registry: 'docker.io', repository: 'library/nginx', tag: '1.25' }],
  ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
  ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['index.docker.io/library/nginx:latest', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
  ['registry-1.docker.io/kubernetesui/dashboard:v2.7.0', { registry: 'docker.io', repository: 'kubernetesui/dashboard', tag: 'v2.7.0' }],
  ['localhost/app', { registry: 'localhost', repository: 'app' }],
  ['localhost:5000/team/app:v1', { registry: 'localhost:5000', repository: 'team/app', tag: 'v1' }],
  ['127.0.0.1:5000/app@' + DIGEST, { registry: '127.0.0.1:5000', repository: 'app', digest: DIGEST }],
  ['myreg-cn-north-1.jcr.service.jdcloud.com/ns/nginx:1.25@' + DIGEST, { registry: 'myreg-cn-north-1.jcr.service.jdcloud.com', repository: 'ns/nginx', tag: '1.25', digest: DIGEST }],
  ['Registry/app', { registry: 'Registry', repository: 'app' }], // uppercase first component is a host, as in docker
  ['a/b/c/d:tag_1.x-y', { registry: 'docker.io', repository: 'a/b/c/d', tag: 'tag_1.x-y' }],
])('parses %s', (input, expected) => {
  expect(parseImageReference(input)).toMatchObject(expected);
});

test.each([
  ['', 'it is empty'],
  ['https://registry/app', 'without a URL scheme'],
  ['Nginx', 'must be lowercase'],
  ['app@sha256:123', 'is not a digest'],
  ['app:-bad', 'is not a valid tag'],
  ['reg.io/', 'repository name is missing'],
  ['reg.io/a//b', 'must be lowercase letters'],
])('rejects %p with a reason', (input, reason) => {
  expect(() => parseImageReference(input)).toThrow(reason);
  expect(() => parseImageReference(input)).toThrow(/^invalid image reference/);
});

test('formats canonically and round-trips', () => {
  expect(formatImageReference(parseImageReference('nginx:1.25'))).toBe('docker.io/library/nginx:1.25');
  const jcr = `x-cn-north-1.jcr.service.jdcloud.com/a/b:1@${DIGEST}`;
  expect(formatImageReference(parseImageReference(jcr))).toBe(jcr);
});

test('Docker Hub is served from registry-1.docker.io and aliases are the same registry', () => {
  expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
  expect(registryApiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  expect(isSameRegistry('docker.io', 'index.docker.io')).toBe(true);
  expect(isSameRegistry('a.io', 'b.io')).toBe(false);
});
