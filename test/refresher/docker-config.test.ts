import { execFileSync } from 'child_process';
import { dockerAuthEntry, dockerConfigJson, DockerConfigError, isSameRegistryKey, mergeDockerConfigJson } from '../../lib/model/dockerconfigjson';
import { upsertPullSecret } from '../../lib/refresher/pull-secret';
import { createKubeClient } from '../../lib/kube/client';
import { startFakeKubeApi } from '../fakes/kube/api-server';

/** kubectl as the oracle: the decoded .dockerconfigjson of `kubectl create secret docker-registry --dry-run=client`. */
function kubectlDockerConfig(host: string, user: string, password: string, email?: string): string {
  const args = ['create', 'secret', 'docker-registry', 'x', `--docker-server=${host}`, `--docker-username=${user}`, `--docker-password=${password}`];
  if (email) args.push(`--docker-email=${email}`);
  args.push('--dry-run=client', '-o', 'json');
  const secret = JSON.parse(execFileSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } }));
  return Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8');
}

const HOST = 'myreg-cn-north-1.jcr.service.jdcloud.com';

describe('.dockerconfigjson equals what kubectl create secret docker-registry writes', () => {
  test.each([
    ['plain password, no email', 'z7G4sQTHMaNG0GRN', undefined],
    ['with email', 'z7G4sQTHMaNG0GRN', 'ops@example.com'],
    ['password with a colon and HTML-special characters', 'a:b<c>&d"e\\f', 'x&y@example.com'],
    ['unicode and line separators', 'pässwörd\u2028x', undefined],
  ])('%s', (_name, password, email) => {
    const ours = dockerConfigJson(HOST, dockerAuthEntry('jdcloud', password, email));
    expect(ours).toBe(kubectlDockerConfig(HOST, 'jdcloud', password, email));
  });

  test('the Secret the refresher creates holds kubectl-identical bytes', async () => {
    const api = await startFakeKubeApi();
    const kube = createKubeClient({ server: api.url, namespace: 'default', source: 'test' });
    try {
      await upsertPullSecret(kube, {
        namespace: 'default',
        name: 'jcr-pull',
        host: HOST,
        entry: dockerAuthEntry('jdcloud', 'S3cret&pw', 'ops@example.com'),
        refreshedAt: 't',
        expiresAt: 'e',
      });
      const data = api.get('secrets', 'default', 'jcr-pull')!.data['.dockerconfigjson'];
      expect(Buffer.from(data, 'base64').toString('utf8')).toBe(kubectlDockerConfig(HOST, 'jdcloud', 'S3cret&pw', 'ops@example.com'));
    } finally {
      kube.close();
      await api.close();
    }
  });
});

describe('mergeDockerConfigJson', () => {
  const entry = dockerAuthEntry('jdcloud', 'new');

  test('keeps other registries and top-level fields; replaces our host and its aliases', () => {
    const existing = JSON.stringify({
      auths: { 'a.example.com': { auth: 'YTpi' }, [`https://${HOST}/`]: { auth: 'old' }, [`${HOST}/v2/`]: { auth: 'old2' } },
      HttpHeaders: { 'User-Agent': 'x' },
    });
    const r = mergeDockerConfigJson(existing, HOST, entry);
    expect(r.changed).toBe(true);
    expect(r.otherEntries).toBe(1);
    expect(JSON.parse(r.json)).toEqual({ auths: { 'a.example.com': { auth: 'YTpi' }, [HOST]: entry }, HttpHeaders: { 'User-Agent': 'x' } });
  });

  test('unchanged when our entry is already there exactly', () => {
    const existing = JSON.stringify({ auths: { 'a.example.com': { auth: 'YTpi' }, [HOST]: entry } });
    expect(mergeDockerConfigJson(existing, HOST, entry).changed).toBe(false);
    expect(mergeDockerConfigJson(existing, HOST, dockerAuthEntry('jdcloud', 'other')).changed).toBe(true);
    expect(mergeDockerConfigJson(existing, HOST, dockerAuthEntry('jdcloud', 'new', 'e@x')).changed).toBe(true);
  });

  test('refuses to merge into a payload it cannot read, without quoting it', () => {
    expect(() => mergeDockerConfigJson('{not json SECRETVALUE', HOST, entry)).toThrow(DockerConfigError);
    expect(() => mergeDockerConfigJson('{not json SECRETVALUE', HOST, entry)).not.toThrow(/SECRETVALUE/);
    expect(() => mergeDockerConfigJson('[1]', HOST, entry)).toThrow(/not a JSON object/);
    expect(() => mergeDockerConfigJson('{"auths":[]}', HOST, entry)).toThrow(/"auths" is not an object/);
  });

  test('registry key aliases', () => {
    expect(isSameRegistryKey(`https://${HOST}`, HOST)).toBe(true);
    expect(isSameRegistryKey(`http://${HOST}/v1/`, HOST)).toBe(true);
    expect(isSameRegistryKey(HOST.toUpperCase(), HOST)).toBe(true);
    expect(isSameRegistryKey(`${HOST}:5000`, HOST)).toBe(false);
    expect(isSameRegistryKey(`other.${HOST}`, HOST)).toBe(false);
  });
});
