import { ConfigError, DEFAULT_CONFIG_YAML, loadConfig, parseConfigYaml, validateConfig } from '../../lib/config';
import { resolveYaml } from '../helpers/render';

/** Validates `yaml` and returns the issues, failing the test if it was accepted. */
function issuesOf(yaml: string): { path: string; message: string }[] {
  try {
    resolveYaml(yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('config was accepted');
}

const base = 'registry: {name: pocexam, region: cn-north-1}\n';

describe('bad input is rejected with the field path and a fix', () => {
  const cases: [string, string, string, RegExp][] = [
    ['malformed YAML', 'registry: {name: pocexam\n  region: [', '(root)', /malformed YAML at line \d+, column \d+/],
    ['unknown top-level key', `${base}dashbaord: {}`, 'dashbaord', /unknown key.*dashboard/],
    ['unknown nested key', `${base}dashboard: {service: {prot: 443}}`, 'dashboard.service.prot', /unknown key.*port/],
    ['wrong type', `${base}refresher: {tokenHours: "6"}`, 'refresher.tokenHours', /expected number, got string "6"\. Fix: write 6 without quotes/],
    ['invalid namespace name', `${base}dashboard: {namespace: Kube_System}`, 'dashboard.namespace', /DNS-1123 label/],
    ['invalid secret name', `${base}pullSecret: {name: "my secret"}`, 'pullSecret.name', /DNS-1123 subdomain/],
    ['registry name outside JCR rules', 'registry: {name: Pocexam_1, region: cn-north-1}', 'registry.name', /JCR's registry naming rules/],
    ['registry name too long', `registry: {name: ${'a'.repeat(33)}, region: cn-north-1}`, 'registry.name', /3 to 32/],
    ['missing registry', 'dashboard: {preset: v2.7.0}', 'registry', /is required/],
    ['bad region', 'registry: {name: pocexam, region: beijing}', 'registry.region', /region id/],
    ['source range not a CIDR', `${base}dashboard: {service: {loadBalancerSourceRanges: [10.0.0.1]}}`, 'dashboard.service.loadBalancerSourceRanges[0]', /not a CIDR/],
    ['source range bad prefix', `${base}dashboard: {service: {loadBalancerSourceRanges: [10.0.0.0/33]}}`, 'dashboard.service.loadBalancerSourceRanges[0]', /not a CIDR/],
    ['unknown preset', `${base}dashboard: {preset: v3.0.0}`, 'dashboard.preset', /unknown preset "v3.0.0"\. Fix: use one of v1.10.1, v2.7.0/],
    ['nodePort below range', `${base}dashboard: {service: {nodePort: 8080}}`, 'dashboard.service.nodePort', /30000 to 32767/],
    ['nodePort above range', `${base}dashboard: {service: {nodePort: 32768}}`, 'dashboard.service.nodePort', /30000 to 32767/],
    ['port out of range', `${base}dashboard: {service: {port: 70000}}`, 'dashboard.service.port', /1 to 65535/],
    ['port zero', `${base}dashboard: {service: {port: 0}}`, 'dashboard.service.port', /1 to 65535/],
    ['invalid cron', `${base}refresher: {schedule: "61 * * * *"}`, 'refresher.schedule', /not a valid cron expression/],
    ['cron with 6 fields', `${base}refresher: {schedule: "0 0 * * * *"}`, 'refresher.schedule', /needs 5/],
    ['cron with TZ', `${base}refresher: {schedule: "TZ=UTC 0 * * * *"}`, 'refresher.schedule', /time zone/],
    ['tokenHours too small', `${base}refresher: {tokenHours: 0}`, 'refresher.tokenHours', /1 to 24/],
    ['tokenHours too large', `${base}refresher: {tokenHours: 25}`, 'refresher.tokenHours', /1 to 24/],
    ['schedule slower than half the token life', `${base}refresher: {schedule: "0 */8 * * *", tokenHours: 12}`, 'refresher.schedule', /8 h between runs, more than half the 12 h token lifetime/],
    ['daily schedule with 24 h tokens', `${base}refresher: {schedule: "@daily", tokenHours: 24}`, 'refresher.schedule', /24 h between runs/],
    ['weekday-only schedule', `${base}refresher: {schedule: "0 * * * 1-5", tokenHours: 24}`, 'refresher.schedule', /between runs/],
    ['nodePort with ClusterIP', `${base}dashboard: {service: {type: ClusterIP, nodePort: 30001}}`, 'dashboard.service.nodePort', /ClusterIP/],
    ['unknown service type', `${base}dashboard: {service: {type: Loadbalancer}}`, 'dashboard.service.type', /use one of LoadBalancer, NodePort, ClusterIP/],
    ['pinDigests without digest', `${base}images: {pinDigests: true}`, 'images.digests', /jcrkit mirror --from-config/],
    ['bad digest', `${base}images: {digests: {"a/b:c": "sha256:xyz"}}`, 'images.digests.a/b:c', /sha256/],
    ['image with scheme', `${base}dashboard: {image: "https://x.io/d:1"}`, 'dashboard.image', /without https/],
  ];
  test.each(cases)('%s', (_name, yaml, path, message) => {
    const issues = issuesOf(yaml);
    const issue = issues.find((i) => i.path === path);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(issue!.message).toMatch(/Fix: /);
  });

  test('the error message names the source and every issue', () => {
    try {
      validateConfig(parseConfigYaml(`${base}dashboard: {preset: v9, service: {port: 0}}`, 'my.yaml'), 'my.yaml');
      throw new Error('accepted');
    } catch (e) {
      expect((e as Error).message).toMatch(/^invalid config \(my\.yaml\):\n  dashboard\.preset: .*\n  dashboard\.service\.port: /);
    }
  });

  test('an empty document is rejected', () => {
    expect(() => parseConfigYaml('# nothing\n', 'e.yaml')).toThrow(/the document is empty/);
  });

  test('duplicate keys are malformed YAML', () => {
    expect(() => parseConfigYaml('registry: {name: a}\nregistry: {name: b}\n', 'd.yaml')).toThrow(/malformed YAML/);
  });
});

describe('valid configs', () => {
  test('the embedded default is the runbook registry with preset v2.7.0', () => {
    const { config } = resolveYaml(DEFAULT_CONFIG_YAML);
    expect(config.registry).toEqual({ name: 'pocexam', region: 'cn-north-1', host: 'pocexam-cn-north-1.jcr.service.jdcloud.com', crService: 'cr' });
    expect(config.pullSecret.name).toBe('my-secret');
    expect(config.dashboard.preset).toBe('v2.7.0');
    expect(config.refresher.schedule).toBe('0 * * * *');
  });

  test('the pull Secret goes to every namespace that pulls from the registry, without listing them', () => {
    const { config } = resolveYaml(`${base}pullSecret: {namespaces: [apps]}\nrefresher: {namespace: ops}`);
    expect(config.pullSecret.namespaces).toEqual(['apps', 'kubernetes-dashboard', 'ops']);
  });

  test('a refresher image outside the registry does not pull the refresher namespace in', () => {
    const { config } = resolveYaml(`${base}refresher: {namespace: ops, image: "ghcr.io/acme/refresher:1.0"}`);
    expect(config.pullSecret.namespaces).toEqual(['kubernetes-dashboard']);
  });

  test('every-30-minutes schedule with 1 h tokens is accepted', () => {
    expect(resolveYaml(`${base}refresher: {schedule: "*/30 * * * *", tokenHours: 1}`).config.refresher.tokenHours).toBe(1);
  });

  test('pinDigests references images by digest', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    const host = 'pocexam-cn-north-1.jcr.service.jdcloud.com';
    const { config } = resolveYaml(
      `${base}images:\n  pinDigests: true\n  digests:\n    ${host}/kubernetesui/dashboard:v2.7.0: ${d}\n    ${host}/kubernetesui/metrics-scraper:v1.0.8: ${d}\n    ${host}/library/node:20.18.1-alpine: ${d}\n`,
    );
    expect(config.dashboard.image).toBe(`${host}/kubernetesui/dashboard@${d}`);
    expect(config.images.map((i) => i.ref)).toEqual([`${host}/kubernetesui/dashboard@${d}`, `${host}/kubernetesui/metrics-scraper@${d}`, `${host}/library/node@${d}`]);
  });

  test('overrides are applied by dotted path and validated like file values', () => {
    const loaded = loadConfig({ env: {}, overrides: { 'dashboard.service.port': 8443, 'registry.name': 'other' } });
    expect(loaded.config.dashboard.service.port).toBe(8443);
    expect(loaded.config.registry.host).toBe('other-cn-north-1.jcr.service.jdcloud.com');
    expect(() => loadConfig({ env: {}, overrides: { 'dashboard.service.port': 'x' } })).toThrow(/dashboard\.service\.port: expected number/);
  });

  test('JCRKIT_CONFIG selects the file; a missing file is a clear error', () => {
    expect(() => loadConfig({ env: { JCRKIT_CONFIG: '/nonexistent/x.yaml' } })).toThrow(/cannot read the config file \(ENOENT\)/);
  });
});
