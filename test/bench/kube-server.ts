/**
 * The fake Kubernetes API server as a process of its own, for the refresh benchmark: the
 * refresher (in the bench process) and kubectl (a child process) then both talk to a server
 * that does not compete with them for the event loop. Prints `{"url": ...}` on stdout when
 * ready; exits when stdin closes.
 *
 *   node build/dev/test/bench/kube-server.js NAMESPACES LATENCY_MS
 */
import { startFakeKubeApi } from '../fakes/kube/api-server';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200);
  const latency = Number(process.argv[3] ?? 5);
  const namespaces = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
  const api = await startFakeKubeApi({ namespaces: ['default', ...namespaces] });
  for (const ns of namespaces) api.seed('serviceaccounts', { metadata: { name: 'default', namespace: ns } });
  api.setLatency(latency);
  process.stdout.write(`${JSON.stringify({ url: api.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void api.close().then(() => process.exit(0)));
}

void main();
