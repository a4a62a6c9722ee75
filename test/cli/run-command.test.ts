/** lib/cli/run-command: the one runner — exit codes by error class, the `error:` line, scrubbing. */
import { UsageError } from '../../lib/core/errors';
import { REDACTED } from '../../lib/core/redact';
import { ConfigError } from '../../lib/config';
import { CloudInputError, CloudStateError } from '../../lib/cloud/errors';
import { JdcloudValidationError } from '../../lib/jdcloud/errors';
import { KubeApiError, KubeconfigError } from '../../lib/kube/errors';
import { RefreshPlanError } from '../../lib/model/refresh-plan';
import { ResourceListError } from '../../lib/krm/resource-list';
import { runCommand } from '../../lib/cli/run-command';

async function run(body: Parameters<typeof runCommand>[1], env: NodeJS.ProcessEnv = {}) {
  let stderr = '';
  let exit: number | undefined;
  const code = await runCommand({ stderr: { write: (s: string) => (stderr += s) }, env, exit: (c) => (exit = c) }, body);
  expect(exit).toBe(code);
  return { code, stderr };
}

test('the body\'s return value is the exit code; nothing returned is 0', async () => {
  expect(await run(() => undefined)).toEqual({ code: 0, stderr: '' });
  expect(await run(async () => 1)).toEqual({ code: 1, stderr: '' });
});

test.each([
  ['ConfigError', new ConfigError('c.yaml', [{ path: 'registry.name', message: 'bad' }])],
  ['RefreshPlanError', new RefreshPlanError('tokenHours', 'bad')],
  ['ResourceListError', new ResourceListError('bad')],
  ['CloudInputError', new CloudInputError('bad')],
  ['JdcloudValidationError', new JdcloudValidationError('endpoint', 'bad')],
  ['KubeconfigError', new KubeconfigError('bad')],
  ['UsageError', new UsageError('bad')],
])('%s is bad input: exit 2', async (_name, err) => {
  const r = await run(() => {
    throw err;
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^error: /);
});

test('anything else is a failed operation: exit 1, one line', async () => {
  const r = await run(async () => {
    throw new CloudStateError('cluster c is in state error:\nno capacity');
  });
  expect(r).toEqual({ code: 1, stderr: 'error: cluster c is in state error: no capacity\n' });
  const kube = await run(() => {
    throw new KubeApiError({ code: 403, reason: 'Forbidden', message: 'no', method: 'GET', path: '/api/v1/x' });
  });
  expect(kube.stderr).toBe('error: Kubernetes GET /api/v1/x: 403 Forbidden: no\n');
});

test('a config error keeps its field paths as indented lines under the first', async () => {
  const r = await run(() => {
    throw new ConfigError('c.yaml', [
      { path: 'a', message: 'one' },
      { path: 'b', message: 'two', origin: '--set b=2' },
    ]);
  });
  expect(r.stderr).toBe('error: invalid config (--set b=2 over c.yaml):\n  a: one\n  b: two (from --set b=2)\n');
});

test('secrets of the environment, and those the body learns, never reach stderr', async () => {
  const env = { JDCLOUD_SECRET_KEY: 'sk-from-the-env', JCR_PASSWORD: 'jcr-password' };
  const r = await run((redactor) => {
    redactor.add('minted-token');
    throw new Error('failed with sk-from-the-env, jcr-password and minted-token');
  }, env);
  expect(r.stderr).toBe(`error: failed with ${REDACTED}, ${REDACTED} and ${REDACTED}\n`);
});
