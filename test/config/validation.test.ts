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
    ['unknown preset', `${base}dashboard: {preset: v3.0.0}`, 'dashboard.preset', /unknown preset "v3.0.0"\. Fix: use one of v1.10.1, v2.7.0, headlamp/],
    ['bad security group id', `${base}dashboard: {service: {jdcloudLoadBalancer: {securityGroupIds: [sg_1]}}}`, 'dashboard.service.jdcloudLoadBalancer.securityGroupIds[0]', /not a JD Cloud security group id/],
    ['bad certificate id', `${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {certificateId: "x"}}}`, 'dashboard.service.jdcloudLoadBalancer.certificateId', /not a JD Cloud certificate id/],
    ['unknown acknowledgement', `${base}dashboard: {service: {acknowledge: {publicAdmin: true}}}`, 'dashboard.service.acknowledge.publicAdmin', /unknown key.*publicClusterAdmin/],
    ['public LB + cluster-admin login without acknowledgement', `${base}dashboard: {service: {jdcloudLoadBalancer: {internal: false}}}`, 'dashboard.service.acknowledge.publicClusterAdmin', /cluster-admin, on a public load balancer\. Fix: keep the load balancer internal/],
    ['acknowledged, but open to everyone', `${base}dashboard: {service: {jdcloudLoadBalancer: {internal: false}, acknowledge: {publicClusterAdmin: true}}}`, 'dashboard.service.jdcloudLoadBalancer.securityGroupIds', /open to the whole internet\. Fix: add a JD Cloud security group/],
    ['a 0.0.0.0/0 range restricts nothing', `${base}dashboard: {service: {loadBalancerSourceRanges: [0.0.0.0/0], jdcloudLoadBalancer: {internal: false}, acknowledge: {publicClusterAdmin: true}}}`, 'dashboard.service.jdcloudLoadBalancer.securityGroupIds', /open to the whole internet/],
    ['annotate: false on an internal load balancer', `${base}dashboard: {service: {jdcloudLoadBalancer: {annotate: false}}}`, 'dashboard.service.jdcloudLoadBalancer.annotate', /JD Cloud creates a public load balancer while internal is true/],
    ['annotate: false with options it would drop', `${base}admin: {clusterRole: view}\ndashboard: {service: {jdcloudLoadBalancer: {internal: false, annotate: false, securityGroupIds: [sg-1]}}}`, 'dashboard.service.jdcloudLoadBalancer.annotate', /securityGroupIds would not reach JD Cloud/],
    ['certificateId on a Dashboard preset', `${base}dashboard: {service: {jdcloudLoadBalancer: {certificateId: cert-abc}}}`, 'dashboard.service.jdcloudLoadBalancer.certificateId', /serves HTTPS itself/],
    ['certificateId on an NLB', `${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {type: nlb, certificateId: cert-abc}}}`, 'dashboard.service.jdcloudLoadBalancer.certificateId', /only JD Cloud's ALB/],
    ['certificateId and a TLS Secret', `${base}dashboard: {preset: headlamp, headlamp: {tlsSecret: t}, service: {jdcloudLoadBalancer: {certificateId: cert-abc}}}`, 'dashboard.service.jdcloudLoadBalancer.certificateId', /choose one/],
    ['headlamp options on a Dashboard preset', `${base}dashboard: {headlamp: {tlsSecret: t}}`, 'dashboard.headlamp', /only applies to preset headlamp/],
    ['public plain-HTTP Headlamp', `${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {internal: false, securityGroupIds: [sg-1]}}}`, 'dashboard.service.acknowledge.publicPlainHttp', /plain HTTP.*Fix: give Headlamp a certificate/],
    ['public Headlamp with a cluster-admin login', `${base}dashboard: {preset: headlamp, headlamp: {tlsSecret: t}, service: {jdcloudLoadBalancer: {internal: false}}}\nadmin: {clusterRole: cluster-admin}`, 'dashboard.service.acknowledge.publicClusterAdmin', /cluster-admin/],
    ['metrics scraper for headlamp', `${base}dashboard: {preset: headlamp, metricsScraperImage: "a.io/b:c"}`, 'dashboard.metricsScraperImage', /has no metrics-scraper/],
    ['nodePort below range', `${base}dashboard: {service: {nodePort: 8080}}`, 'dashboard.service.nodePort', /30000 to 32767/],
    ['nodePort above range', `${base}dashboard: {service: {nodePort: 32768}}`, 'dashboard.service.nodePort', /30000 to 32767/],
    ['port out of range', `${base}dashboard: {service: {port: 70000}}`, 'dashboard.service.port', /1 to 65535/],
    ['port zero', `${base}dashboard: {service: {port: 0}}`, 'dashboard.service.port', /1 to 65535/],
    ['invalid cron', `${base}refresher: {schedule: "61 * * * *"}`, 'refresher.schedule', /not a valid cron expression/],
    ['cron with 6 fields', `${base}refresher: {schedule: "0 0 * * * *"}`, 'refresher.schedule', /needs 5/],
    ['cron with TZ', `${base}refresher: {schedule: "TZ=UTC 0 * * * *"}`, 'refresher.schedule', /time zone/],
    ['tokenHours too small', `${base}refresher: {tokenHours: 0}`, 'refresher.tokenHours', /1 to 24/],
    ['tokenHours too large', `${base}refresher: {tokenHours: 25}`, 'refresher.tokenHours', /1 to 24/],
    ['schedule slower than half the renew window', `${base}refresher: {schedule: "0 */4 * * *", tokenHours: 12}`, 'refresher.schedule', /4 h between runs, more than half the 6 h renew window \(half of refresher.tokenHours\)/],
    ['hourly runs with a 1 h renew window', `${base}refresher: {schedule: "0 * * * *", renewBefore: 1h}`, 'refresher.schedule', /1 h between runs, more than half the 1 h renew window \(refresher.renewBefore\)/],
    ['source mirror with a scheme', `${base}images: {sourceMirrors: {docker.io: "https://docker.m.daocloud.io"}}`, 'images.sourceMirrors.docker.io', /not a mirror location\. Fix: write a host with an optional path prefix and no scheme/],
    ['source mirror key not a host', `${base}images: {sourceMirrors: {"Docker Hub": docker.m.daocloud.io}}`, 'images.sourceMirrors.Docker Hub', /not a registry host\. Fix: use the host as image references name it/],
    ['extra image without from', `${base}images: {extra: [{to: me/app:1}]}`, 'images.extra[0].from', /required/],
    ['extra image unknown key', `${base}images: {extra: [{from: ghcr.io/me/app:1, tag: x}]}`, 'images.extra[0].tag', /unknown key/],
    ['extra image bad platform', `${base}images: {extra: [{from: ghcr.io/me/app:1, platform: amd64}]}`, 'images.extra[0].platform', /os\/arch\[\/variant\]/],
    ['daily schedule with 24 h tokens', `${base}refresher: {schedule: "@daily", tokenHours: 24}`, 'refresher.schedule', /24 h between runs/],
    ['weekday-only schedule', `${base}refresher: {schedule: "0 * * * 1-5", tokenHours: 24}`, 'refresher.schedule', /between runs/],
    ['renewBefore over half the token life (more than one mint per window)', `${base}refresher: {tokenHours: 12, renewBefore: 8h}`, 'refresher.renewBefore', /more than half the 12 h token lifetime.*mint a new token every 4h/],
    ['renewBefore equal to the token life (a mint every run)', `${base}refresher: {tokenHours: 2, renewBefore: 2h}`, 'refresher.renewBefore', /more than half/],
    ['renewBefore not a duration', `${base}refresher: {renewBefore: "6 hours"}`, 'refresher.renewBefore', /not a duration/],
    ['the old hourly schedule with 1 h tokens', `${base}refresher: {schedule: "*/30 * * * *", tokenHours: 1}`, 'refresher.schedule', /30 min between runs, more than half the 30 min renew window/],
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

describe('exposure and login: safe by default, risky only when the config says so', () => {
  test('the default is an internal load balancer, short-lived login, and no warning', () => {
    const { config, warnings } = resolveYaml(base);
    expect(config.dashboard.service.jdcloudLoadBalancer).toMatchObject({ internal: true, type: 'alb', securityGroupIds: [] });
    expect(config.dashboard.service.public).toBe(false);
    expect(config.admin).toMatchObject({ serviceAccount: 'dashboard-admin', clusterRole: 'cluster-admin', bindingName: 'dashboard-admin', tokenSecret: false });
    expect(warnings).toEqual([]);
  });

  test('a public cluster-admin login with the acknowledgement and a security group renders, and still warns', () => {
    const { warnings } = resolveYaml(`${base}dashboard: {service: {jdcloudLoadBalancer: {internal: false, securityGroupIds: [sg-office]}, acknowledge: {publicClusterAdmin: true}}}`);
    expect(warnings).toEqual([expect.stringMatching(/public load balancer .* bound to cluster-admin.*Only security group\(s\) sg-office decide who reaches it/)]);
  });

  test('source ranges alone satisfy the rule, but the warning says JD Cloud may ignore them', () => {
    const { warnings } = resolveYaml(`${base}dashboard: {service: {loadBalancerSourceRanges: [203.0.113.0/24], jdcloudLoadBalancer: {internal: false}, acknowledge: {publicClusterAdmin: true}}}`);
    expect(warnings.join('\n')).toMatch(/loadBalancerSourceRanges restrict it only if JD Cloud's controller honours them, which JD Cloud does not document .*securityGroupIds/);
  });

  test('a public view-only login needs no acknowledgement, but is warned about without a security group', () => {
    expect(resolveYaml(`${base}admin: {clusterRole: view}\ndashboard: {service: {jdcloudLoadBalancer: {internal: false}}}`).warnings).toEqual([expect.stringMatching(/^the UI is on a public load balancer .*Nothing restricts/)]);
    expect(resolveYaml(`${base}admin: {clusterRole: view}\ndashboard: {service: {jdcloudLoadBalancer: {internal: false, securityGroupIds: [sg-1]}}}`).warnings).toEqual([]);
  });

  test('a public Headlamp over plain HTTP renders only when acknowledged, with a warning', () => {
    const { config, warnings } = resolveYaml(`${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {internal: false, securityGroupIds: [sg-1]}, acknowledge: {publicPlainHttp: true}}}`);
    expect(config.dashboard.scheme).toBe('http');
    expect(warnings).toEqual([expect.stringMatching(/Headlamp serves plain HTTP .* login tokens cross the internet unencrypted/)]);
    expect(resolveYaml(`${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {internal: false, securityGroupIds: [sg-1], certificateId: cert-abc}}}`).warnings).toEqual([]);
  });

  test('admin.tokenSecret: true warns about a token that never expires', () => {
    expect(resolveYaml(`${base}admin: {tokenSecret: true}`).warnings).toEqual([expect.stringMatching(/never expires, for a login bound to cluster-admin.*jcrkit login-token/)]);
  });

  test('the headlamp preset: its own namespace, Service, login account bound to view, HTTP on port 80 unless TLS', () => {
    const { config } = resolveYaml(`${base}dashboard: {preset: headlamp}`);
    expect(config.dashboard).toMatchObject({ namespace: 'headlamp', scheme: 'http', service: { name: 'headlamp', port: 80 } });
    expect(config.admin).toMatchObject({ serviceAccount: 'headlamp-login', namespace: 'headlamp', clusterRole: 'view', bindingName: 'headlamp-login' });
    expect(resolveYaml(`${base}dashboard: {preset: headlamp, headlamp: {tlsSecret: headlamp-tls}}`).config.dashboard).toMatchObject({ scheme: 'https', service: { port: 443 } });
  });
});

describe('valid configs', () => {
  test('the embedded default is the runbook registry with preset v2.7.0', () => {
    const { config } = resolveYaml(DEFAULT_CONFIG_YAML);
    expect(config.registry).toEqual({ name: 'pocexam', region: 'cn-north-1', host: 'pocexam-cn-north-1.jcr.service.jdcloud.com', crService: 'cr' });
    expect(config.pullSecret.name).toBe('my-secret');
    expect(config.dashboard.preset).toBe('v2.7.0');
    expect(config.refresher.schedule).toBe('*/15 * * * *');
    expect(config.refresher.renewBeforeMinutes).toBe(360);
  });

  test('schedule, tokenHours and renewBefore together: the defaults mint once per 6 h; the tightest 1 h tokens still mint at most twice an hour', () => {
    expect(resolveYaml(`${base}refresher: {tokenHours: 1}`).config.refresher).toMatchObject({ schedule: '*/15 * * * *', renewBeforeMinutes: 30 });
    expect(resolveYaml(`${base}refresher: {tokenHours: 24, renewBefore: 2h, schedule: "0 * * * *"}`).config.refresher.renewBeforeMinutes).toBe(120);
    expect(resolveYaml(`${base}refresher: {tokenHours: 12, renewBefore: 1h30m, schedule: "*/45 * * * *"}`).config.refresher.renewBeforeMinutes).toBe(90);
  });

  test('the pull Secret goes to every namespace that pulls from the registry, without listing them', () => {
    const { config } = resolveYaml(`${base}pullSecret: {namespaces: [apps]}\nrefresher: {namespace: ops}`);
    expect(config.pullSecret.namespaces).toEqual(['apps', 'kubernetes-dashboard', 'ops']);
  });

  test('a refresher image outside the registry does not pull the refresher namespace in', () => {
    const { config } = resolveYaml(`${base}refresher: {namespace: ops, image: "ghcr.io/acme/refresher:1.0"}`);
    expect(config.pullSecret.namespaces).toEqual(['kubernetes-dashboard']);
  });

  test('every-15-minutes schedule with 1 h tokens is accepted', () => {
    expect(resolveYaml(`${base}refresher: {schedule: "*/15 * * * *", tokenHours: 1}`).config.refresher.tokenHours).toBe(1);
  });

  test('the refresher runtime is pinned by digest whenever images.digests has it, even without pinDigests', () => {
    const d = 'sha256:' + 'b'.repeat(64);
    const host = 'pocexam-cn-north-1.jcr.service.jdcloud.com';
    const { config } = resolveYaml(`${base}images:\n  digests:\n    ${host}/library/node:24.21.0-alpine: ${d}\n`);
    expect(config.refresher.runtimeImage).toBe(`${host}/library/node@${d}`);
    expect(config.dashboard.image).toBe(`${host}/kubernetesui/dashboard:v2.7.0`);
  });

  test('pinDigests references images by digest', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    const host = 'pocexam-cn-north-1.jcr.service.jdcloud.com';
    const { config } = resolveYaml(
      `${base}images:\n  pinDigests: true\n  digests:\n    ${host}/kubernetesui/dashboard:v2.7.0: ${d}\n    ${host}/kubernetesui/metrics-scraper:v1.0.8: ${d}\n    ${host}/library/node:24.21.0-alpine: ${d}\n`,
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
    expect(() => loadConfig({ env: { JCRKIT_CONFIG: '/nonexistent/x.yaml' } })).toThrow('/nonexistent/x.yaml (named by JCRKIT_CONFIG): cannot read the config file (ENOENT). Fix: check the path given to JCRKIT_CONFIG');
  });
});

describe('images.sourceMirrors and images.extra', () => {
  test('extra images land in the registry under their own path and tag unless `to` says otherwise; digests come along', () => {
    const digest = `sha256:${'e'.repeat(64)}`;
    const { config } = resolveYaml(
      `${base}images:\n  sourceMirrors: {docker.io: docker.m.daocloud.io, ghcr.io: ghcr.m.example/prefix}\n  digests: {pocexam-cn-north-1.jcr.service.jdcloud.com/me/app:1.2: ${digest}}\n  extra:\n    - {from: ghcr.io/me/app:1.2}\n    - {from: nginx:1.25, to: web/nginx, platform: linux/amd64}\n    - {from: quay.io/x/y:2, to: other.example.com/x/y:2}\n`,
    );
    expect(config.mirror.sourceMirrors).toEqual({ 'docker.io': 'docker.m.daocloud.io', 'ghcr.io': 'ghcr.m.example/prefix' });
    expect(config.mirror.extra).toEqual([
      { source: 'ghcr.io/me/app:1.2', target: 'pocexam-cn-north-1.jcr.service.jdcloud.com/me/app:1.2', repository: 'me/app', platform: undefined, pinnedDigest: digest },
      { source: 'nginx:1.25', target: 'pocexam-cn-north-1.jcr.service.jdcloud.com/web/nginx:1.25', repository: 'web/nginx', platform: 'linux/amd64', pinnedDigest: undefined },
      { source: 'quay.io/x/y:2', target: 'other.example.com/x/y:2', repository: undefined, platform: undefined, pinnedDigest: undefined },
    ]);
    // extra images are for mirroring only: the rendered stack does not change
    expect(config.images.map((i) => i.role)).toEqual(['dashboard', 'metrics-scraper', 'refresher-runtime']);
  });
});
