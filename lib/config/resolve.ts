/**
 * Turns a schema-valid config into the fully resolved settings the constructs render from:
 * preset-dependent defaults applied, the registry host computed, the pull Secret's namespaces
 * derived from the workloads that pull from the registry, and the images decided. Cross-field
 * rules live here because they need more than one field to judge.
 */
import { hostBitsNetwork } from './cidr';
import { ConfigError, ConfigIssue, quote } from './errors';
import { formatMinutes as formatDuration, parseMinutes } from '../core/duration';
import { cronProblem, longestGapMinutes } from './cron';
import { parseImageReference } from '../registry/reference';
import { ExtraImage, PRESET_IMAGES, REFRESHER_RUNTIME, StackImage, referenceHost, stripTag } from './images';
import { DEFAULT_INSTANCE, type DashboardPreset, type ParsedConfig } from './schema';

export interface ResolvedConfig {
  /** The stack's instance name (label `app.kubernetes.io/instance`). */
  instance: string;
  registry: { name: string; region: string; host: string; crService: 'cr' | 'containerregistry' };
  pullSecret: {
    name: string;
    /** Every namespace that gets the Secret: listed ones plus the derived ones, sorted. */
    namespaces: string[];
    /**
     * The namespaces whose ServiceAccounts are patched: only the listed ones (pullSecret.namespaces).
     * The derived ones run only pods that jcrkit renders, and those name the Secret themselves.
     */
    serviceAccountNamespaces: string[];
    serviceAccounts: string[];
    email?: string;
  };
  refresher: {
    enabled: boolean;
    /** Name of the CronJob, its ServiceAccount, ConfigMap and every Role/RoleBinding. */
    name: string;
    namespace: string;
    schedule: string;
    tokenHours: number;
    /** mint only when the freshest token expires within this many minutes */
    renewBeforeMinutes: number;
    credentialsSecret: string;
    /** render the ValidatingAdmissionPolicy that narrows the refresher's Secret create */
    admissionPolicy: boolean;
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
    /** Name of the v2.7.0 preset's ClusterRole and ClusterRoleBinding (upstream: kubernetes-dashboard). */
    clusterRbacName: string;
    image: string;
    metricsScraperImage: string;
    service: {
      name: string;
      type: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
      port: number;
      nodePort?: number;
      loadBalancerSourceRanges: string[];
      /** The annotation's options; undefined = no annotation (not a LoadBalancer, or annotate: false). */
      jdcloudLoadBalancer?: ResolvedJdcloudLoadBalancer;
      /** A LoadBalancer with a public IP: reachable from the internet unless a security group says otherwise. */
      public: boolean;
    };
    /** NetworkPolicies for the UI (and the metrics scraper). */
    networkPolicy: boolean;
    /** headlamp preset only: the user's TLS and OIDC Secrets. */
    headlamp: { tlsSecret?: string; oidcSecret?: string };
    /** What the browser speaks to the Service: the Dashboards serve HTTPS; Headlamp HTTP unless TLS is configured. */
    scheme: 'https' | 'http';
  };
  admin: {
    enabled: boolean;
    serviceAccount: string;
    namespace: string;
    clusterRole: string;
    /** ClusterRoleBinding name, independent of clusterRole. */
    bindingName: string;
    /** Render the non-expiring service-account-token Secret. */
    tokenSecret: boolean;
  };
  /** Every image the stack runs, in a stable order (dashboard, metrics-scraper, refresher). */
  images: StackImage[];
  /** What `jcrkit mirror --from-config` needs beyond the stack's images. */
  mirror: {
    /** registry → mirror location (images.sourceMirrors) */
    sourceMirrors: Record<string, string>;
    /** images.extra, with targets in the registry */
    extra: ExtraImage[];
  };
}

export interface ResolvedJdcloudLoadBalancer {
  type: 'alb' | 'nlb' | 'dnlb';
  internal: boolean;
  bandwidthMbps?: number;
  provider: 'bgp' | 'no_bgp';
  reclaimPolicy: 'delete' | 'retain';
  securityGroupIds: string[];
  /** HTTPS listener with this certificate (ALB, headlamp only); else TCP pass-through. */
  certificateId?: string;
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
  // Names jcrkit picks itself carry the instance, so a second instance in the same cluster never
  // renders (and, when pruning, deletes) an object of the first. The default instance keeps the
  // historical names.
  const instance = p.instance;
  const ownName = (name: string): string => (instance === DEFAULT_INSTANCE ? name : `${name}-${instance}`);

  // --- refresher schedule, token lifetime and renew window, judged together -----------------
  const renewBeforeMinutes = p.refresher.renewBefore !== undefined ? parseMinutes(p.refresher.renewBefore) ?? 0 : p.refresher.tokenHours * 30;
  issues.push(...refreshTimingProblems(p.refresher.schedule, p.refresher.tokenHours, renewBeforeMinutes, p.refresher.renewBefore !== undefined));

  // --- dashboard service ---------------------------------------------------------------------
  const headlamp = preset === 'headlamp';
  const svc = p.dashboard.service;
  const lbIn = svc.jdcloudLoadBalancer;
  if (svc.type === 'ClusterIP' && svc.nodePort !== undefined) {
    issues.push({ path: 'dashboard.service.nodePort', message: 'is set but dashboard.service.type is ClusterIP, which has no node port. Fix: remove nodePort or use type NodePort or LoadBalancer' });
  }
  if (svc.type !== 'LoadBalancer' && svc.loadBalancerSourceRanges.length > 0) {
    issues.push({ path: 'dashboard.service.loadBalancerSourceRanges', message: `only applies to type LoadBalancer, but the type is ${svc.type}. Fix: remove the ranges or set dashboard.service.type: LoadBalancer` });
  }
  if (svc.type !== 'LoadBalancer' && lbIn) {
    issues.push({ path: 'dashboard.service.jdcloudLoadBalancer', message: `only applies to type LoadBalancer, but the type is ${svc.type}. Fix: remove it or set dashboard.service.type: LoadBalancer` });
  }
  const isLb = svc.type === 'LoadBalancer';
  // Without the annotation JD Cloud's controller creates a public ALB, so an internal load balancer
  // (the default) needs it; `annotate: false` is the explicit "controller default" choice.
  const internal = lbIn?.internal ?? true;
  const annotate = lbIn?.annotate ?? true;
  if (lbIn && !annotate) {
    if (internal) {
      issues.push({ path: 'dashboard.service.jdcloudLoadBalancer.annotate', message: 'is false, but without the annotation JD Cloud creates a public load balancer while internal is true (the default). Fix: remove annotate: false to keep the load balancer internal, or set internal: false to choose the public default deliberately' });
    }
    const ignored = (['type', 'securityGroupIds', 'certificateId', 'bandwidthMbps', 'provider', 'reclaimPolicy'] as const).filter((k) => lbIn[k] !== undefined);
    if (ignored.length > 0) {
      issues.push({ path: 'dashboard.service.jdcloudLoadBalancer.annotate', message: `is false, so ${ignored.join(', ')} would not reach JD Cloud. Fix: remove annotate: false, or remove ${ignored.join(', ')}` });
    }
  }
  if (lbIn?.internal && lbIn.bandwidthMbps !== undefined) {
    issues.push({ path: 'dashboard.service.jdcloudLoadBalancer.bandwidthMbps', message: 'sets public bandwidth on an internal load balancer, which gets no public IP. Fix: remove bandwidthMbps or set internal: false' });
  }
  const lbType = lbIn?.type ?? 'alb';
  if (lbIn?.certificateId !== undefined) {
    if (!headlamp) {
      issues.push({ path: 'dashboard.service.jdcloudLoadBalancer.certificateId', message: `the ${preset} preset serves HTTPS itself, so the load balancer must pass TCP through rather than terminate TLS. Fix: remove certificateId (or use preset headlamp, which serves plain HTTP)` });
    } else if (lbType !== 'alb') {
      issues.push({ path: 'dashboard.service.jdcloudLoadBalancer.certificateId', message: `needs an HTTPS listener, which only JD Cloud's ALB has (${lbType} listeners are TCP only). Fix: set jdcloudLoadBalancer.type: alb, or remove certificateId and use dashboard.headlamp.tlsSecret` });
    } else if (p.dashboard.headlamp?.tlsSecret) {
      issues.push({ path: 'dashboard.service.jdcloudLoadBalancer.certificateId', message: 'and dashboard.headlamp.tlsSecret would both terminate TLS: the HTTPS listener forwards plain HTTP, which a TLS backend refuses. Fix: choose one of them' });
    }
  }
  if (!headlamp && p.dashboard.headlamp) {
    issues.push({ path: 'dashboard.headlamp', message: `only applies to preset headlamp, but the preset is ${preset}. Fix: remove dashboard.headlamp or set dashboard.preset: headlamp` });
  }
  const jdcloudLoadBalancer: ResolvedJdcloudLoadBalancer | undefined =
    isLb && annotate
      ? {
          type: lbType,
          internal,
          bandwidthMbps: lbIn?.bandwidthMbps,
          provider: lbIn?.provider ?? 'bgp',
          reclaimPolicy: lbIn?.reclaimPolicy ?? 'delete',
          securityGroupIds: [...(lbIn?.securityGroupIds ?? [])],
          certificateId: lbIn?.certificateId,
        }
      : undefined;
  const isPublic = isLb && !internal;
  const tlsSecret = headlamp ? p.dashboard.headlamp?.tlsSecret : undefined;
  const lbTls = jdcloudLoadBalancer?.certificateId !== undefined;
  const scheme: 'https' | 'http' = !headlamp || tlsSecret || lbTls ? 'https' : 'http';
  const port = svc.port ?? (legacy ? 9443 : headlamp ? (scheme === 'https' ? 443 : 80) : 443);
  const nodePort = svc.nodePort ?? (legacy && svc.type !== 'ClusterIP' ? 30063 : undefined);
  const serviceName = svc.name ?? (headlamp ? 'headlamp' : 'dashboard-lb');

  // Names jcrkit picks itself carry the instance (ownName), so a second instance in the same
  // cluster never renders, applies or prunes an object of the first. The v2.7.0 and headlamp
  // presets render their own Namespace, so their default namespace is derived too; the v1.10.1
  // preset renders into kube-system under the runbook's fixed names, which a second instance
  // cannot share.
  if (p.dashboard.enabled && legacy && instance !== DEFAULT_INSTANCE && p.dashboard.namespace === undefined) {
    issues.push({
      path: 'dashboard.namespace',
      message: `the v1.10.1 preset puts the Dashboard into kube-system under the runbook's fixed names, which instance ${quote(instance)} would share with the default instance. Fix: set dashboard.namespace to an existing namespace of this instance's own, use another preset, or set dashboard.enabled: false`,
    });
  }
  const dashboardNamespace = p.dashboard.namespace ?? (legacy ? 'kube-system' : headlamp ? ownName('headlamp') : ownName('kubernetes-dashboard'));
  const adminNamespace = p.admin.namespace ?? dashboardNamespace;
  // Headlamp's login account gets its own name (the chart's pod binding is headlamp-admin, which
  // collides with the name Headlamp's docs use for the login account: headlamp#4435) and `view`.
  const adminServiceAccount = p.admin.serviceAccount ?? (headlamp ? 'headlamp-login' : 'dashboard-admin');
  const clusterRole = p.admin.clusterRole ?? (headlamp ? 'view' : 'cluster-admin');
  // Cluster-scoped: named after the account, and after the instance unless it is the default.
  const bindingName = p.admin.bindingName ?? ownName(adminServiceAccount);

  // --- exposure: a public load balancer in front of a cluster-admin login --------------------
  const ack = svc.acknowledge;
  const sgs = jdcloudLoadBalancer?.securityGroupIds ?? [];
  // A range that admits every address restricts nothing.
  const ranges = svc.loadBalancerSourceRanges.filter((r) => !/\/0$/.test(r));
  const adminLogin = p.dashboard.enabled && p.admin.enabled && clusterRole === 'cluster-admin';
  if (p.dashboard.enabled && isPublic && adminLogin) {
    if (!ack.publicClusterAdmin) {
      issues.push({
        path: 'dashboard.service.acknowledge.publicClusterAdmin',
        message:
          `is not set, but dashboard.service.jdcloudLoadBalancer.internal: false puts the login of ${adminNamespace}/${adminServiceAccount}, which is bound to cluster-admin, on a public load balancer. ` +
          'Fix: keep the load balancer internal (remove internal: false), bind a smaller role (admin.clusterRole: view), or set dashboard.service.acknowledge.publicClusterAdmin: true together with dashboard.service.jdcloudLoadBalancer.securityGroupIds (or loadBalancerSourceRanges)',
      });
    } else if (sgs.length === 0 && ranges.length === 0 && !ack.unrestrictedSource) {
      issues.push({
        path: 'dashboard.service.jdcloudLoadBalancer.securityGroupIds',
        message:
          'is empty and so is dashboard.service.loadBalancerSourceRanges, so the cluster-admin login would be open to the whole internet. ' +
          'Fix: add a JD Cloud security group that admits only your networks (jdcloudLoadBalancer.securityGroupIds: [sg-...]) and/or loadBalancerSourceRanges: [your CIDRs]; to reproduce an open setup deliberately, also set dashboard.service.acknowledge.unrestrictedSource: true',
      });
    }
  }
  if (p.dashboard.enabled && headlamp && isPublic && scheme === 'http' && !ack.publicPlainHttp) {
    issues.push({
      path: 'dashboard.service.acknowledge.publicPlainHttp',
      message:
        'is not set, but Headlamp serves plain HTTP on port 4466 and dashboard.service.jdcloudLoadBalancer.internal: false would carry its login tokens across the internet unencrypted. ' +
        'Fix: give Headlamp a certificate (dashboard.headlamp.tlsSecret), terminate HTTPS at the load balancer (jdcloudLoadBalancer.certificateId), keep the load balancer internal, or set dashboard.service.acknowledge.publicPlainHttp: true',
    });
  }

  // --- images --------------------------------------------------------------------------------
  const images: StackImage[] = [];
  const pin = (target: string, path: string, always = false): string => {
    // The refresher's runtime sits in the registry whose pull tokens can also push, and its tag is
    // mutable: reference it by digest whenever the digest is known, even without pinDigests.
    if (always && p.images.digests[target]) return `${stripTag(target)}@${p.images.digests[target]}`;
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
    return { role, source: up.source, target, ref: pin(target, path, role === 'refresher-runtime'), repository: up.repository, pinnedDigest: p.images.digests[target] };
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

  // --- images.extra: more images for `mirror --from-config` ------------------------------------
  const extra: ExtraImage[] = [];
  p.images.extra.forEach((entry, index) => {
    const at = `images.extra[${index}]`;
    let from;
    try {
      from = parseImageReference(entry.from);
    } catch (err) {
      issues.push({ path: `${at}.from`, message: `${(err as Error).message}. Fix: write registry/repository:tag, e.g. ghcr.io/me/app:1.2` });
      return;
    }
    const tag = from.tag ?? (from.digest ? undefined : 'latest');
    let target: string;
    if (!entry.to) target = `${host}/${from.repository}${tag ? `:${tag}` : `@${from.digest}`}`;
    else if (referenceHost(entry.to)) target = entry.to;
    else target = `${host}/${entry.to}`;
    if (!/:[\w][\w.-]*$/.test(target.slice(target.lastIndexOf('/'))) && !target.includes('@')) {
      if (!tag) {
        issues.push({ path: `${at}.to`, message: `has no tag and ${entry.from} is pinned by digest only. Fix: add a tag to "to", e.g. ${entry.to}:1.0` });
        return;
      }
      target = `${target}:${tag}`;
    }
    const inRegistry = referenceHost(target) === host;
    extra.push({
      source: entry.from,
      target,
      repository: inRegistry ? stripTag(target).slice(host.length + 1) : undefined,
      platform: entry.platform,
      pinnedDigest: p.images.digests[target],
    });
  });

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
  const where = `${dashboardNamespace}/${serviceName}`;
  const rangesCaveat =
    "loadBalancerSourceRanges restrict it only if JD Cloud's controller honours them, which JD Cloud does not document (it documents securityGroupIds): add dashboard.service.jdcloudLoadBalancer.securityGroupIds to restrict it for real";
  if (p.dashboard.enabled && isPublic) {
    const restriction =
      sgs.length > 0
        ? `Only security group(s) ${sgs.join(', ')} decide who reaches it.`
        : ranges.length > 0
          ? `Its ${rangesCaveat}.`
          : 'Nothing restricts who reaches it (no securityGroupIds, no loadBalancerSourceRanges).';
    if (adminLogin) {
      warnings.push(
        `the UI is on a public load balancer (${where}) and its login account ${adminNamespace}/${adminServiceAccount} is bound to cluster-admin: anyone who reaches it with a token owns the cluster. ${restriction}` +
          `${headlamp ? '' : ' The Kubernetes Dashboard is archived upstream and gets no security fixes.'} Prefer an internal load balancer and admin.clusterRole: view.`,
      );
    } else if (sgs.length === 0) {
      warnings.push(`the UI is on a public load balancer (${where}). ${restriction}`);
    }
  }
  if (p.dashboard.enabled && headlamp && isPublic && scheme === 'http') {
    warnings.push(`Headlamp serves plain HTTP and ${where} is a public load balancer: login tokens cross the internet unencrypted (dashboard.service.acknowledge.publicPlainHttp). Prefer dashboard.headlamp.tlsSecret or jdcloudLoadBalancer.certificateId.`);
  }
  if (p.admin.enabled && p.admin.tokenSecret) {
    warnings.push(
      `admin.tokenSecret: true renders ${adminNamespace}/${adminServiceAccount}-token, a token that never expires, for a login bound to ${clusterRole}: whoever reads that Secret (or keeps a copy of the token) has ${clusterRole} until the Secret is deleted. ` +
        'Prefer the default (false) and short-lived tokens: jcrkit login-token, or kubectl create token.',
    );
  }

  return {
    warnings,
    config: {
      instance,
      registry: { name: p.registry.name, region: p.registry.region, host, crService: p.registry.crService },
      pullSecret: {
        name: p.pullSecret.name,
        namespaces: [...namespaces].sort(),
        serviceAccountNamespaces: [...new Set(p.pullSecret.namespaces)].sort(),
        serviceAccounts: [...p.pullSecret.serviceAccounts], email: p.pullSecret.email },
      refresher: {
        enabled: p.refresher.enabled,
        name: ownName('jcrkit-token-refresher'),
        namespace: p.refresher.namespace,
        schedule: p.refresher.schedule,
        tokenHours: p.refresher.tokenHours,
        renewBeforeMinutes,
        credentialsSecret: p.refresher.credentialsSecret,
        admissionPolicy: p.refresher.admissionPolicy,
        customImage: p.refresher.image,
        runtimeImage,
        releaseSupersededTokens: p.refresher.releaseSupersededTokens,
        verifyRegistry: p.refresher.verifyRegistry,
      },
      dashboard: {
        enabled: p.dashboard.enabled,
        preset,
        namespace: dashboardNamespace,
        clusterRbacName: ownName('kubernetes-dashboard'),
        image: dashboardImage,
        metricsScraperImage: scraperImage,
        service: { name: serviceName, type: svc.type, port, nodePort, loadBalancerSourceRanges: [...svc.loadBalancerSourceRanges], jdcloudLoadBalancer, public: isPublic },
        networkPolicy: p.dashboard.networkPolicy,
        headlamp: headlamp ? { tlsSecret, oidcSecret: p.dashboard.headlamp?.oidcSecret } : {},
        scheme,
      },
      admin: { enabled: p.admin.enabled, serviceAccount: adminServiceAccount, namespace: adminNamespace, clusterRole, bindingName, tokenSecret: p.admin.tokenSecret },
      images,
      mirror: { sourceMirrors: { ...p.images.sourceMirrors }, extra },
    },
  };
}

/**
 * JCR documents at most 5 temporary tokens per registry per hour, shared by everyone using the
 * registry (JD Cloud docs, Container Registry › Operation Guide › Token › Create Token, docs.jdcloud.com). A run mints only when the
 * freshest token expires within renewBefore, so at steady state the refresher mints once every
 * (tokenHours − renewBefore), rounded up to the next scheduled run.
 */
export const TOKEN_QUOTA_PER_HOUR = 5;

/**
 * The rules tying schedule, tokenHours and renewBefore together:
 *  - renewBefore ≤ half of tokenHours: at most one mint per renew window, i.e. at least
 *    tokenHours/2 (≥ 30 min) between mints, which stays far below the hourly quota;
 *  - the longest gap between runs ≤ half of renewBefore: at least two runs fall inside the renew
 *    window, so one failed run cannot let the pull Secret expire.
 */
export function refreshTimingProblems(schedule: string, tokenHours: number, renewBeforeMinutes: number, renewBeforeSet: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const cron = cronProblem(schedule);
  if (cron) return [{ path: 'refresher.schedule', message: cron }];
  const lifetime = tokenHours * 60;
  const renewPath = renewBeforeSet ? 'refresher.renewBefore' : 'refresher.tokenHours';
  if (renewBeforeMinutes > lifetime / 2) {
    issues.push({
      path: 'refresher.renewBefore',
      message:
        `${formatDuration(renewBeforeMinutes)} is more than half the ${tokenHours} h token lifetime, so the refresher would mint a new token every ${formatDuration(lifetime - renewBeforeMinutes)}, ` +
        `more than once per renew window. Fix: use at most ${formatDuration(lifetime / 2)} (the default), or raise refresher.tokenHours`,
    });
    return issues;
  }
  const mintsPerHour = Math.ceil(60 / (lifetime - renewBeforeMinutes));
  if (mintsPerHour > TOKEN_QUOTA_PER_HOUR) {
    issues.push({ path: renewPath, message: `would mint up to ${mintsPerHour} tokens an hour, more than JCR's ${TOKEN_QUOTA_PER_HOUR}. Fix: raise refresher.tokenHours` });
  }
  const gap = longestGapMinutes(schedule);
  if (gap > renewBeforeMinutes / 2) {
    const every = Math.max(1, Math.floor(renewBeforeMinutes / 2));
    issues.push({
      path: 'refresher.schedule',
      message:
        `${quote(schedule)} can leave ${formatMinutes(gap)} between runs, more than half the ${formatMinutes(renewBeforeMinutes)} renew window (${renewBeforeSet ? 'refresher.renewBefore' : 'half of refresher.tokenHours'}), ` +
        `so one failed run could let the pull Secret expire. Fix: run at least every ${formatMinutes(every)} (the default "*/15 * * * *" costs no extra tokens: a run with a fresh token mints none)` +
        (renewBeforeSet ? ', or raise refresher.renewBefore' : ', or raise refresher.tokenHours'),
    });
  }
  return issues;
}

function formatMinutes(m: number): string {
  if (m >= 60 && m % 60 === 0) return `${m / 60} h`;
  if (m >= 60) return `${Math.floor(m / 60)} h ${Math.round(m % 60)} min`;
  return `${Math.round(m)} min`;
}
