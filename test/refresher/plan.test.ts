import { parseRefreshPlan, RefreshPlanError, validateRefreshPlan } from '../../lib/model/refresh-plan';

const minimal = { registry: { name: 'myreg', region: 'cn-north-1' }, secretName: 'jcr-pull', namespaces: ['default'] };

describe('parseRefreshPlan', () => {
  test('fills defaults: host, tokenHours 12, renewBefore half of it, SAs in every namespace, refresher in kube-system, crService cr, verify on, release off', () => {
    expect(parseRefreshPlan(JSON.stringify(minimal))).toEqual({
      registry: { name: 'myreg', region: 'cn-north-1', host: 'myreg-cn-north-1.jcr.service.jdcloud.com' },
      secretName: 'jcr-pull',
      namespaces: ['default'],
      serviceAccounts: [],
      serviceAccountNamespaces: ['default'],
      tokenHours: 12,
      renewBeforeMinutes: 360,
      refresherNamespace: 'kube-system',
      crService: 'cr',
      releaseSupersededTokens: false,
      verifyRegistry: true,
    });
  });

  test('keeps explicit values', () => {
    const plan = validateRefreshPlan({
      ...minimal,
      registry: { ...minimal.registry, host: 'registry.internal:5000' },
      email: 'a@b.c',
      serviceAccounts: ['default', 'builder'],
      tokenHours: 24,
      crService: 'containerregistry',
      releaseSupersededTokens: true,
      verifyRegistry: false,
    });
    expect(plan).toMatchObject({ email: 'a@b.c', tokenHours: 24, crService: 'containerregistry', releaseSupersededTokens: true, verifyRegistry: false });
    expect(plan.registry.host).toBe('registry.internal:5000');
  });

  test.each([
    ['not JSON', '{', /JCRKIT_REFRESH_PLAN: is not valid JSON/],
    ['unknown key', { ...minimal, namespace: 'x' }, /refresh plan: namespace: unknown key/],
    ['tokenHours 0', { ...minimal, tokenHours: 0 }, /tokenHours: must be a whole number of hours from 1 to 24/],
    ['tokenHours 25', { ...minimal, tokenHours: 25 }, /tokenHours/],
    ['no namespaces', { ...minimal, namespaces: [] }, /namespaces: must name at least one namespace/],
    ['bad namespace', { ...minimal, namespaces: ['Bad_NS'] }, /namespaces\[0\]: "Bad_NS" is not a valid Kubernetes name/],
    ['duplicate namespace', { ...minimal, namespaces: ['a', 'a'] }, /namespaces\[1\]: "a" is listed twice/],
    ['host with scheme', { ...minimal, registry: { ...minimal.registry, host: 'https://x.example.com' } }, /registry\.host: .*\(no scheme or path\)/],
    ['bad crService', { ...minimal, crService: 'jcr' }, /crService: must be "cr" or "containerregistry"/],
    ['bad region', { ...minimal, registry: { name: 'myreg', region: 'north' } }, /registry\.region/],
    ['bad secret name', { ...minimal, secretName: 'Jcr_Pull' }, /secretName/],
    ['verifyRegistry not boolean', { ...minimal, verifyRegistry: 'yes' }, /verifyRegistry: must be true or false/],
  ])('%s', (_name, input, message) => {
    const run = () => parseRefreshPlan(typeof input === 'string' ? input : JSON.stringify(input));
    expect(run).toThrow(RefreshPlanError);
    expect(run).toThrow(message);
  });
});

test('renewBeforeMinutes must be shorter than the token lifetime; serviceAccountNamespaces a subset of namespaces', () => {
  expect(() => validateRefreshPlan({ ...minimal, tokenHours: 2, renewBeforeMinutes: 120 })).toThrow(/renewBeforeMinutes: must be a whole number of minutes from 1 to less than tokenHours × 60 \(120\)/);
  expect(() => validateRefreshPlan({ ...minimal, serviceAccountNamespaces: ['other'] })).toThrow(/serviceAccountNamespaces\[0\]: "other" is not one of namespaces/);
  expect(validateRefreshPlan({ ...minimal, tokenHours: 2 }).renewBeforeMinutes).toBe(60);
});

