/** refreshPlanFromConfig = the plan the rendered CronJob carries, for every example config. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config';
import { refreshPlanFromConfig } from '../../lib/config/refresh-plan';
import { renderStack } from '../../lib/render';
import { PLAN_ENV } from '../../lib/model/refresh-plan';
import { ROOT } from '../helpers/cli';

const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));

function renderedPlan(config: Parameters<typeof renderStack>[0]): unknown {
  const { files } = renderStack(config, { refresherBundle: '// bundle' });
  for (const o of files.flatMap((f) => f.objects)) {
    if (o.kind !== 'CronJob') continue;
    const containers = (o as any).spec.jobTemplate.spec.template.spec.containers as { env?: { name: string; value?: string }[] }[];
    const env = containers.flatMap((c) => c.env ?? []).find((e) => e.name === PLAN_ENV);
    if (env?.value) return JSON.parse(env.value);
  }
  throw new Error('no CronJob with a refresh plan rendered');
}

test.each([undefined, ...examples])('config %s', (file) => {
  const { config } = loadConfig({ path: file ? join(ROOT, 'examples', file) : undefined, env: {} });
  if (!config.refresher.enabled) return;
  expect(refreshPlanFromConfig(config)).toEqual(renderedPlan(config));
});

test('overrides reach the plan (email, token hours, service accounts)', () => {
  const { config } = loadConfig({
    env: {},
    overrides: { 'pullSecret.email': 'ops@example.com', 'refresher.tokenHours': 6, 'refresher.schedule': '*/30 * * * *', 'pullSecret.serviceAccounts': ['default', 'builder'] },
  });
  const plan = refreshPlanFromConfig(config);
  expect(plan).toMatchObject({ email: 'ops@example.com', tokenHours: 6, serviceAccounts: ['default', 'builder'] });
  expect(plan).toEqual(renderedPlan(config));
});
