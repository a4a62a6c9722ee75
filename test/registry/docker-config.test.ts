import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainCredentialProviders, DockerConfig, defaultDockerConfigPath, dockerConfigCredentialProvider, parseCredentials, staticCredentials } from '../../lib/registry';
import { normalizeAuthKey } from '../../lib/registry/docker-config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jcrkit-docker-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('auths entries: base64 "auth", username/password, Docker Hub key, URL-style keys', async () => {
  const path = write('config.json', {
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub-user:hub:pass').toString('base64') },
      'myreg-cn-north-1.jcr.service.jdcloud.com': { username: 'jdcloud', password: 'tok' },
      'http://127.0.0.1:5000/v2/': { auth: Buffer.from('local:pw').toString('base64') },
      'only-helper.example': {},
    },
    credHelpers: { 'gcr.io': 'gcloud' },
  });
  const config = await DockerConfig.load(path);

  expect(config.credentialsFor('docker.io')).toEqual({ username: 'hub-user', password: 'hub:pass' });
  expect(config.credentialsFor('registry-1.docker.io')).toEqual({ username: 'hub-user', password: 'hub:pass' });
  expect(config.credentialsFor('MYREG-cn-north-1.jcr.service.jdcloud.com')).toEqual({ username: 'jdcloud', password: 'tok' });
  expect(config.credentialsFor('127.0.0.1:5000')).toEqual({ username: 'local', password: 'pw' });
  expect(config.credentialsFor('127.0.0.1:5001')).toBeUndefined();
  expect(config.credentialsFor('only-helper.example')).toBeUndefined();
  expect(config.helperFor('gcr.io')).toBe('gcloud');
});

test('a missing file is an empty config; a malformed one names the file', async () => {
  expect((await DockerConfig.load(join(dir, 'absent.json'))).credentialsFor('docker.io')).toBeUndefined();
  const bad = write('bad.json', '{ nope');
  await expect(DockerConfig.load(bad)).rejects.toThrow(`registry credentials file ${bad} is not valid JSON`);
});

test('default path honours $DOCKER_CONFIG, else ~/.docker', () => {
  expect(defaultDockerConfigPath({ DOCKER_CONFIG: '/etc/dc', HOME: '/home/x' })).toBe('/etc/dc/config.json');
  expect(defaultDockerConfigPath({ HOME: '/home/x' })).toBe('/home/x/.docker/config.json');
});

test('auth keys normalize to a host', () => {
  expect(normalizeAuthKey('https://index.docker.io/v1/')).toBe('docker.io');
  expect(normalizeAuthKey('https://Reg.Example:443/v2/')).toBe('reg.example:443');
});

test('providers: flags format, static per host, first answer wins, file loaded once', async () => {
  expect(parseCredentials('u:p:with:colons')).toEqual({ username: 'u', password: 'p:with:colons' });
  expect(() => parseCredentials(':p')).toThrow('USERNAME:PASSWORD');
  const fromFlag = staticCredentials('a.io', { username: 'flag', password: '1' });
  const path = write('chain.json', { auths: { 'a.io': { username: 'file', password: '2' }, 'b.io': { username: 'file', password: '3' } } });
  const chain = chainCredentialProviders(fromFlag, undefined, dockerConfigCredentialProvider(path));
  expect(await chain('a.io')).toEqual({ username: 'flag', password: '1' });
  expect(await chain('b.io')).toEqual({ username: 'file', password: '3' });
  expect(await chain('c.io')).toBeUndefined();
});
