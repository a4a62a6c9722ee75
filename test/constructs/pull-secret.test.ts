import { execFileSync } from 'node:child_process';
import { Testing } from 'cdk8s';
import { PullSecret } from '../../lib/constructs';
import { dockerAuthEntry, dockerConfigJson } from '../../lib/model/dockerconfigjson';
import { renderDefault, renderYaml } from '../helpers/render';

/** kubectl as the oracle: what `kubectl create secret docker-registry --dry-run=client` produces. */
function kubectlDockerConfig(host: string, user: string, password: string, email?: string): string {
  const args = ['create', 'secret', 'docker-registry', 'oracle', `--docker-server=${host}`, `--docker-username=${user}`, `--docker-password=${password}`, '--dry-run=client', '-o', 'json'];
  if (email) args.push(`--docker-email=${email}`);
  const secret = JSON.parse(execFileSync('kubectl', args, { encoding: 'utf8' }));
  return Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8');
}

const HOST = 'pocexam-cn-north-1.jcr.service.jdcloud.com';

describe('PullSecret', () => {
  test.each([
    ['no email', 'z7G4sQTHMaNG0GRN', undefined],
    ['with email', 'z7G4sQTHMaNG0GRN', 'ops@example.com'],
    ['password with JSON-special and non-ASCII characters', 'p"a\\s:s<&>/ü', undefined],
  ])('.dockerconfigjson decodes to exactly what kubectl produces (%s)', (_n, password, email) => {
    expect(dockerConfigJson(HOST, dockerAuthEntry('jdcloud', password, email))).toBe(kubectlDockerConfig(HOST, 'jdcloud', password, email));
  });

  test('rendered Secret carries the kubectl payload in every target namespace', () => {
    const r = renderDefault({ password: 'tok3n-value' });
    const file = r.bootstrap!;
    expect(file.path).toBe('pull-secret.k8s.yaml');
    expect(file.objects.map((o) => o.metadata.namespace)).toEqual(['kube-system', 'kubernetes-dashboard']);
    for (const s of file.objects) {
      expect(s.type).toBe('kubernetes.io/dockerconfigjson');
      expect(s.metadata.name).toBe('my-secret');
      const decoded = Buffer.from((s.data as Record<string, string>)['.dockerconfigjson'], 'base64').toString('utf8');
      expect(decoded).toBe(kubectlDockerConfig(HOST, 'jdcloud', 'tok3n-value'));
    }
  });

  test('without a password no Secret is rendered and no file mentions one', () => {
    const r = renderDefault();
    expect(r.bootstrap).toBeUndefined();
    expect(r.files.flatMap((f) => f.objects).filter((o) => o.kind === 'Secret' && o.type === 'kubernetes.io/dockerconfigjson')).toEqual([]);
  });

  test('the password appears only in the bootstrap file, never in the rendered (GitOps) files', () => {
    const password = 'UniquePassw0rdXYZ';
    const r = renderDefault({ password });
    const b64 = Buffer.from(`jdcloud:${password}`).toString('base64');
    expect(r.files.map((f) => f.path)).toEqual(renderDefault().files.map((f) => f.path));
    for (const f of r.files) {
      expect(f.yaml).not.toContain(password);
      expect(f.yaml).not.toContain(b64);
    }
  });

  test('the e-mail option reaches the payload', () => {
    const r = renderYaml('registry: {name: pocexam, region: cn-north-1}\npullSecret: {email: a@b.cn}', { password: 'x' });
    const s = r.bootstrap!.objects.find((o) => o.metadata.namespace === 'kubernetes-dashboard')!;
    const payload = JSON.parse(Buffer.from((s.data as Record<string, string>)['.dockerconfigjson'], 'base64').toString());
    expect(payload.auths[HOST].email).toBe('a@b.cn');
  });

  test('the bootstrap Secret carries managed-by but not the part-of/instance pair the prune selector uses', () => {
    const r = renderDefault({ password: 'x' });
    for (const s of r.bootstrap!.objects) {
      expect(s.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'jcrkit' });
    }
  });

  test('an empty password is refused', () => {
    const chart = Testing.chart();
    expect(() => new PullSecret(chart, 'p', { namespaces: ['a'], host: HOST, password: '' })).toThrow(/password is empty/);
  });
});
