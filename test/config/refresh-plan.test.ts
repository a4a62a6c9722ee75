import { join } from 'node:path';
import { refreshPlanFromConfig } from '../../lib/config';
import { planFromArgs } from '../../lib/cli/handlers/refresh';
import { find, resolveExample, ROOT, TEST_BUNDLE } from '../helpers/render';
import { renderStack } from '../../lib/render';

describe('one refresh plan for the CronJob and the workstation', () => {
  test.each(['multi-namespace.yaml', 'seed.yaml', 'gitops.yaml'])('%s: `jcrkit refresh --config` runs exactly the CronJob\'s plan', (example) => {
    const { config } = resolveExample(example);
    const cron = find(renderStack(config, { refresherBundle: TEST_BUNDLE }), 'CronJob', 'jcrkit-token-refresher') as any;
    const env = cron.spec.jobTemplate.spec.template.spec.containers[0].env.find((e: any) => e.name === 'JCRKIT_REFRESH_PLAN');
    expect(JSON.parse(env.value)).toEqual(refreshPlanFromConfig(config));
    const fromCli = planFromArgs({ config: join(ROOT, 'examples', example), output: 'text', concurrency: 16 }, 'default');
    expect(fromCli).toEqual(refreshPlanFromConfig(config));
  });

  test('flags override the config plan; a new registry name moves the host', () => {
    const p = planFromArgs({ config: join(ROOT, 'examples', 'seed.yaml'), 'registry-name': 'other', namespace: ['apps'], output: 'text', concurrency: 16 }, 'default');
    expect(p.registry).toEqual({ name: 'other', region: 'cn-north-1', host: 'other-cn-north-1.jcr.service.jdcloud.com' });
    expect(p.namespaces).toEqual(['apps']);
    expect(p.secretName).toBe('my-secret');
  });
});
