/**
 * Test PKI made at test time with the openssl CLI: a CA, a server certificate for 127.0.0.1 /
 * localhost, and a client certificate (CN = user, O = group) for x509 client authentication.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** file paths of the same, for kubeconfig `certificate-authority` style references */
  files: { caCert: string; clientCert: string; clientKey: string };
  cleanup(): void;
}

export function makeTestPki(client: { user: string; group?: string } = { user: 'jcrkit-tester', group: 'system:masters' }): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jcrkit-pki-'));
  const p = (f: string) => path.join(dir, f);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=jcrkit-test-ca');
  fs.writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
  ossl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
  fs.writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  const subj = `/CN=${client.user}${client.group ? `/O=${client.group}` : ''}`;
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', subj);
  ossl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2', '-extfile', 'client.ext');

  const read = (f: string) => fs.readFileSync(p(f), 'utf8');
  return {
    dir,
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    files: { caCert: p('ca.crt'), clientCert: p('client.crt'), clientKey: p('client.key') },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
