/**
 * Turns a schema-valid config into the fully resolved settings the constructs render from:
 * preset-dependent defaults applied, the registry host computed, the pull Secret's namespaces
 * derived from the workloads that pull from the registry, and the images decided. Cross-field
 * rules live here because they need more than one field to judge.
 */
import { hostBitsNetwork } from './cidr';
import { ConfigError, ConfigIssue, quote } from './errors';
import { cronProblem, longestGapMinutes } from './cron';
import { PRESET_IMAGES, REFRESHER_RUNTIME, StackImage, referenceHost, stripTag } from './images';
import type { DashboardPreset, ParsedConfig } from './schema';

export interface ResolvedConfig {
  registry: { name: string; region: string; host: string; crService: 'cr' | 'containerregistry' };
  pullSecret: {
    name: string;
    /** Every namespace that gets the Secret: listed ones plus the derived ones, sorted. */
    namespaces: string[];
    serviceAccounts: string[];
    email?: string;
  };
  refresher: {
    enabled: boolean;
    namespace: string;
    schedule: string;
    tokenHours: number;
    credentialsSecret: string;
    /** Custom image running `jcrkit refresh`; undefined = stock Node.js runtime + bundle. */
    customImage?: string;
    runtimeImage: string;
    releaseSupersededTokens: boolean;
    verifyRegistry: boolean;
  };
  dashboard: {
    enabled: boolean;
    preset: DashboardPreset;
    namespace: string;
    image: string;
    metricsScraperImage: string;
    service: {
      name: string;
      type: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
      port: number;
      nodePort?: number;
      loadBalancerSourceRanges: string[];
      jdcloudLoadBalancer?: { type: 'alb' | 'nlb' | 'dnlb'; internal: boolean; bandwidthMbps?: number; provider: 'bgp' | 'no_bgp'; reclaimPolicy: 'delete' | 'retain' };
    };
  };
  admin: { enabled: boolean; serviceAccount: string; namespace: string; clusterRole: string };
  /** Every image the stack runs, in a stable order (dashboard, metrics-scraper, refresher). */
  images: StackImage[];
}

export interface Resolved {
  config: ResolvedConfig;
  /** Render-time warnings: true but not fatal (old preset, open admin dashboard, ...). */
  warnings: string[];
}

export function registryHost(name: string, region: string): string {
  return `${name}-${region}.jcr.service.jdcloud.com`;
}

export function resolveConfig(p: ParsedConfig, source: string): Resolved {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const host = p.registry.host ?? registryHost(p.registry.name, p.registry.region);
  const preset = p.dashboard.preset as DashboardPreset;
  const legacy = preset === 'v1.10.1';

  // --- refresher schedule vs token lifetime -------------------------------------------------
  const cron = cronProblem(p.refresher.schedule);
  if (cron) {
    issues.push({ path: 'refresher.schedule', message: cron });
  } else {
    const gap = longestGapMinutes(p.refresher.schedule);
    const half = (p.refresher.tokenHours * 60) / 2;
    if (gap > half) {
      issues.push({
        path: 'refresher.schedule',
        message:
          `${quote(p.refresher.schedule)} can leave ${formatMinutes(gap)} between runs, more than half the ${p.refresher.tokenHours} h token lifetime (refresher.tokenHours), ` +
          `so one failed run would let the pull Secret expire. Fix: run at least every ${formatMinutes(half)} (e.g. "${half >= 60 ? "0 * * * *" : `*/${Math.max(1, Math.floor(half))} * * * *`}") or raise refresher.tokenHours to ${Math.min(24, Math.ceil((gap * 2) / 60))} or more`,
      });
    }
  }

  // --- dashboard service ---------------------------------------------------------------------
  const svc = p.dashboard.service;
  if (svc.type === 'ClusterIP' && svc.nodePort !== undefined) {
    issues.push({ path: 'dashboard.service.nodePort', message: 'is set but dashboard.service.type is ClusterIP, which has no node port. Fix: remove nodePort or use type NodePort or LoadBalancer' });
  }
  if (svc.type !== 'LoadBalancer' && svc.loadBalancerSourceRanges.length > 0) {
    issues.push({ path: 'dashboard.service.loadBalancerSourceRanges', message: `only applies to type LoadBalancer, but the type is ${svc.type}. Fix: remove the ranges or set dashboard.service.type: LoadBalancer` });
  }
  if (svc.type !== 'LoadBalancer' && svc.jdcloudLoadBalancer) {
    issues.push({ path: 'dashboard.service.jdcloudLoadBalancer', message: `only applies to type LoadBalancer, but the type is ${svc.type}. Fix: remove it or set dashboard.service.type: LoadBalancer` });
  }
  if (svc.jdcloudLoadBalancer?.internal && svc.jdcloudLoadBalancer.bandwidthMbps !== undefined) {
    issues.push({ path: 'dashboard.service.jdcloudLoadBalancer.bandwidthMbps', message: 'sets public bandwidth on an internal load balancer, which gets no public IP. Fix: remove bandwidthMbps or set internal: false' });
  }
  const port = svc.port ?? (legacy ? 9443 : 443);
  const nodePort = svc.nodePort ?? (legacy && svc.type !== 'ClusterIP' ? 30063 : undefined);

  const dashboardNamespace = p.dashboard.namespace ?? (legacy ? 'kube-system' : 'kubernetes-dashboard');
  const adminNamespace = p.admin.namespace ?? dashboardNamespace;

  // --- images --------------------------------------------------------------------------------
  const images: StackImage[] = [];
  const pin = (target: string, path: string): string => {
    if (!p.images.pinDigests) return target;
    const digest = p.images.digests[target];
    if (!digest) {
      issues.push({ path: 'images.digests', message: `has no digest for ${target} while images.pinDigests is true. Fix: run \`jcrkit mirror --from-config\` and copy the digests it prints into images.digests, or set images.pinDigests: false (${path})` });
      return target;
    }
    return `${stripTag(target)}@${digest}`;
  };
  const mirrored = (role: StackImage['role'], up: { source: string; repository: string; tag: string }, path: string): StackImage => {
    const target = `${host}/${up.repository}:${up.tag}`;
    return { role, source: up.source, target, ref: pin(target, path), repository: up.repository };
  };
  const own = (role: StackImage['role'], ref: string): StackImage => ({ role, target: ref, ref });

  const presetImages = PRESET_IMAGES[preset];
  let dashboardImage = '';
  let scraperImage = '';
  if (p.dashboard.enabled) {
    const d = p.dashboard.image ? own('dashboard', p.dashboard.image) : mirrored('dashboard', presetImages.dashboard, 'dashboard.image');
    images.push(d);
    dashboardImage = d.ref;
    if (presetImages.metricsScraper) {
      const m = p.dashboard.metricsScraperImage
        ? own('metrics-scraper', p.dashboard.metricsScraperImage)
        : mirrored('metrics-scraper', presetImages.metricsScraper, 'dashboard.metricsScraperImage');
      images.push(m);
      scraperImage = m.ref;
    } else if (p.dashboard.metricsScraperImage) {
      issues.push({ path: 'dashboard.metricsScraperImage', message: `the ${preset} preset has no metrics-scraper. Fix: remove the key or use preset v2.7.0` });
    }
  }
  let runtimeImage = '';
  if (p.refresher.enabled) {
    const r = p.refresher.image ? own('refresher', p.refresher.image) : mirrored('refresher-runtime', REFRESHER_RUNTIME, 'refresher.image');
    images.push(r);
    runtimeImage = r.ref;
  }

  // --- pull Secret namespaces: every namespace whose workloads pull from the registry --------
  const namespaces = new Set(p.pullSecret.namespaces);
  if (p.dashboard.enabled && [dashboardImage, scraperImage].some((i) => i && referenceHost(i) === host)) namespaces.add(dashboardNamespace);
  if (p.refresher.enabled && referenceHost(runtimeImage) === host) namespaces.add(p.refresher.namespace);
  if (p.refresher.enabled && namespaces.size === 0) {
    issues.push({ path: 'pullSecret.namespaces', message: 'is empty and no rendered workload pulls from the registry, so the refresher would have nothing to refresh. Fix: list the namespaces whose pods pull from the registry, or set refresher.enabled: false' });
  }

  if (issues.length > 0) throw new ConfigError(source, issues);

  // --- warnings ------------------------------------------------------------------------------
  if (p.dashboard.enabled && legacy) {
    warnings.push('dashboard.preset v1.10.1 does not work on Kubernetes >= 1.16 (the UI answers 404; kubernetes/dashboard#4497) and its image is amd64-only. Use it only to reproduce the runbook on an old cluster; prefer v2.7.0.');
  }
  svc.loadBalancerSourceRanges.forEach((range, i) => {
    // The API server accepts a range with host bits set and warns that it means the network (as
    // netutils.ParseCIDRSloppy does): so a warning, naming the field and the network it means.
    const network = hostBitsNetwork(range);
    if (network) {
      warnings.push(
        `dashboard.service.loadBalancerSourceRanges[${i}]: ${range} has host bits set, so it means the network ${network} (the Kubernetes API server warns the same). Fix: write ${network}, or ${range.split('/')[0]}/${range.includes(':') ? 128 : 32} for that single address`,
      );
    }
  });
  if (p.dashboard.enabled && svc.type === 'LoadBalancer' && !svc.jdcloudLoadBalancer?.internal && svc.loadBalancerSourceRanges.length === 0 && p.admin.enabled && p.admin.clusterRole === 'cluster-admin') {
    warnings.push(
      `the Dashboard is exposed by a public LoadBalancer (${dashboardNamespace}/${svc.name}) with no dashboard.service.loadBalancerSourceRanges, and its login account ${adminNamespace}/${p.admin.serviceAccount} is bound to cluster-admin: anyone on the internet who obtains the token owns the cluster. ` +
        'Set loadBalancerSourceRanges to your office CIDRs, use jdcloudLoadBalancer.internal: true, or bind admin.clusterRole: view.',
    );
  }

  return {
    warnings,
    config: {
      registry: { name: p.registry.name, region: p.registry.region, host, crService: p.registry.crService },
      pullSecret: { name: p.pullSecret.name, namespaces: [...namespaces].sort(), serviceAccounts: [...p.pullSecret.serviceAccounts], email: p.pullSecret.email },
      refresher: {
        enabled: p.refresher.enabled,
        namespace: p.refresher.namespace,
        schedule: p.refresher.schedule,
        tokenHours: p.refresher.tokenHours,
        credentialsSecret: p.refresher.credentialsSecret,
        customImage: p.refresher.image,
        runtimeImage,
        releaseSupersededTokens: p.refresher.releaseSupersededTokens,
        verifyRegistry: p.refresher.verifyRegistry,
      },
      dashboard: {
        enabled: p.dashboard.enabled,
        preset,
        namespace: dashboardNamespace,
        image: dashboardImage,
        metricsScraperImage: scraperImage,
        service: { name: svc.name, type: svc.type, port, nodePort, loadBalancerSourceRanges: [...svc.loadBalancerSourceRanges], jdcloudLoadBalancer: svc.jdcloudLoadBalancer },
      },
      admin: { enabled: p.admin.enabled, serviceAccount: p.admin.serviceAccount, namespace: adminNamespace, clusterRole: p.admin.clusterRole },
      images,
    },
  };
}

function formatMinutes(m: number): string {
  if (m >= 60 && m % 60 === 0) return `${m / 60} h`;
  if (m >= 60) return `${Math.floor(m / 60)} h ${Math.round(m % 60)} min`;
  return `${Math.round(m)} min`;
}
