/**
 * The jcrkit config file: its shape, its defaults and the rules each field must follow.
 *
 * One zod schema is the single source of truth: it rejects unknown keys (strictObject), checks
 * types and ranges, and fills defaults, so `jcrkit synth`, `cdk8s synth` and the KRM function all
 * accept exactly the same documents. Rules whose message needs a "fix" hint use `.check()`/refine
 * with a message in the form "<what is wrong>. Fix: <what to do>"; the loader prefixes the
 * dotted field path.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { cidrSyntaxProblem } from './cidr';
import { parseMinutes } from '../core/duration';
import { cronProblem } from './cron';

/** Every 15 minutes: runs are cheap (no token unless one is due), so a new namespace heals fast. */
export const DEFAULT_REFRESH_SCHEDULE = '*/15 * * * *';
import { cloudSchema } from './cloud-schema';
import { quote } from './errors';

/** DNS-1123 label: Namespace names, and the names we give every object (RFC 1123, max 63). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label: Service names (a DNS-1123 label that starts with a letter, max 63). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: names of Secrets, ServiceAccounts, ClusterRoles (max 253). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/**
 * JCR registry names: lower-case letters, digits and '-', at most 32
 * characters, starting and ending with a lower-case letter or digit (console rule; the SDK doc is
 * stricter about the first character, and both require more than 3 characters in the console).
 */
export const JCR_REGISTRY_NAME = /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/;
/** JD Cloud region ids look like cn-north-1 (the regions are cn-north-1, cn-east-1, cn-east-2, cn-south-1). */
export const JDCLOUD_REGION = /^[a-z]{2}-[a-z]+-\d+$/;

/** Kubernetes name limits (apimachinery validation): DNS-1123/1035 labels 63, subdomains and RBAC names 253. */
export const LABEL_MAX = 63;
export const SUBDOMAIN_MAX = 253;

/**
 * Names jcrkit derives from a name the user gives (lib/constructs, lib/config/resolve.ts). A user
 * name is refused when the name derived from it would break the derived object's limit, so the
 * failure is reported against the field the user wrote instead of by the API server at apply time.
 * (The default registry host `{name}-{region}.jcr.service.jdcloud.com` is checked in registrySchema:
 * its first label must fit a DNS label.) No user value is written into a label value.
 */
export const DERIVED_NAMES = {
  /**
   * DashboardAdmin: the `kubernetes.io/service-account-token` Secret of admin.serviceAccount (only
   * rendered with admin.tokenSecret, checked always so turning it on cannot break the render). The
   * ClusterRoleBinding is named admin.bindingName, else the ServiceAccount's name, so it derives no
   * longer name.
   */
  adminTokenSecret: { field: 'admin.serviceAccount', object: 'the token Secret', kind: 'Secret names', limit: SUBDOMAIN_MAX, derive: (sa: string) => `${sa}-token` },
} as const;

type Derived = (typeof DERIVED_NAMES)[keyof typeof DERIVED_NAMES];

/** The problem with the name `rule` derives from `value`, or undefined. */
export function derivedNameProblem(rule: Derived, value: string): string | undefined {
  const derived = rule.derive(value);
  if (derived.length <= rule.limit) return undefined;
  const allowed = rule.limit - (derived.length - value.length);
  return (
    `${quote(value)} is ${value.length} characters long, so ${rule.object} jcrkit names after it (${quote(derived, 60)}) ` +
    `would be ${derived.length} characters, over Kubernetes' limit of ${rule.limit} for ${rule.kind}. Fix: use at most ${allowed} characters`
  );
}

type Rule = (v: string) => string | undefined;

/** A string field checked by `rules` in order; only the first problem is reported (one message per error). */
const checked = (...rules: Rule[]) =>
  z.string().check((ctx) => {
    for (const rule of rules) {
      const message = rule(ctx.value);
      if (message) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message });
        return;
      }
    }
  });

const article = (what: string) => (/^[aeiou]/i.test(what) ? `an ${what}` : `a ${what}`);

const lengthRule = (what: string, max: number, fix: string): Rule => (v) =>
  v.length > max ? `${quote(v)} is ${v.length} characters long, more than the ${max} allowed for ${article(what)}. Fix: ${fix}` : undefined;

const dnsLabelRules = (what: string, pattern = DNS1123_LABEL, kind = 'DNS-1123 label', start = 'a letter or digit'): Rule[] => [
  (v) => (v === '' ? `is empty, which is not a valid ${what}. Fix: write a name` : undefined),
  lengthRule(what, LABEL_MAX, `use at most ${LABEL_MAX} characters`),
  (v) =>
    pattern.test(v)
      ? undefined
      : `${quote(v)} is not a valid ${what} (${kind}). Fix: use at most 63 lower-case letters, digits and '-', starting with ${start} and ending with a letter or digit`,
];

const dnsSubdomainRules = (what: string): Rule[] => [
  (v) => (v === '' ? `is empty, which is not a valid ${what}. Fix: write a name` : undefined),
  lengthRule(what, SUBDOMAIN_MAX, `use at most ${SUBDOMAIN_MAX} characters`),
  (v) =>
    DNS1123_SUBDOMAIN.test(v)
      ? undefined
      : `${quote(v)} is not a valid ${what} (DNS-1123 subdomain). Fix: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
];

const dnsLabel = (what: string) => checked(...dnsLabelRules(what));
const dnsSubdomain = (what: string, ...extra: Rule[]) => checked(...dnsSubdomainRules(what), ...extra);

/**
 * RBAC object names (ClusterRole, ClusterRoleBinding) follow Kubernetes' path-segment rule, not the
 * DNS one: anything but `.` and `..` without `/` or `%`, so `system:aggregate-to-view` is valid.
 * jcrkit also refuses whitespace and control characters, and keeps the 253-character bound.
 */
const rbacName = (what: string, ...extra: Rule[]) =>
  checked(
    (v) => (v === '' ? `is empty, which is not a valid ${what}. Fix: write a name such as view or cluster-admin` : undefined),
    lengthRule(what, SUBDOMAIN_MAX, `use at most ${SUBDOMAIN_MAX} characters`),
    (v) =>
      v === '.' || v === '..' || /[/%\s\p{Cc}]/u.test(v)
        ? `${quote(v)} is not a valid ${what}. Fix: write a name without '/', '%' or spaces (not "." or ".."), e.g. view, cluster-admin or system:aggregate-to-view`
        : undefined,
    ...extra,
  );

/**
 * Why `value` is not `host[:port]` (a DNS name, an IPv4 address or a bracketed IPv6 address, and a
 * port from 1 to 65535), or undefined. The host goes into image references, the docker config
 * `auths` key and `https://{host}/v2/`, so a scheme, a path or user info would break all three.
 */
export function registryHostProblem(value: string): string | undefined {
  const q = quote(value);
  const fix = 'Fix: write only the host and an optional port, e.g. myreg-cn-north-1.jcr.service.jdcloud.com or 10.0.0.5:5000';
  if (value === '') return `is empty. ${fix}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `${q} starts with a scheme. Fix: drop the scheme (e.g. https://); ${fix.slice(5)}`;
  if (value.includes('@')) return `${q} contains user info ("...@"). Fix: drop the user and password (jcrkit authenticates with a JCR token); ${fix.slice(5)}`;
  if (value.includes('/')) return `${q} contains a path. Fix: drop everything from the first '/'; ${fix.slice(5)}`;
  let host: string;
  let port: string | undefined;
  if (value.startsWith('[')) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(value);
    if (!m || m[1].includes('%') || !isIPv6(m[1])) return `${q} is not a bracketed IPv6 address with an optional :port (a zone id is not allowed). ${fix}`;
    host = m[1];
    port = m[2];
  } else {
    const parts = value.split(':');
    if (parts.length > 2) return `${q} has more than one ':'. Fix: write an IPv6 address in brackets, e.g. [2001:db8::1]:5000`;
    [host, port] = parts;
    if (host === '') return `${q} has no host before the port. ${fix}`;
    if (/^[\d.]+$/.test(host)) {
      if (!isIPv4(host)) return `${q} is not a valid IPv4 address. ${fix}`;
    } else {
      if (host.length > SUBDOMAIN_MAX) return `${q} is ${host.length} characters long, more than the ${SUBDOMAIN_MAX} of a DNS name. ${fix}`;
      if (/[A-Z]/.test(host)) return `${q} has upper-case letters. Fix: write the host name in lower case`;
      const bad = host.split('.').find((l) => l.length > LABEL_MAX || !DNS1123_LABEL.test(l));
      if (bad !== undefined) {
        return bad.length > LABEL_MAX
          ? `${q} has a part of ${bad.length} characters between dots, more than the ${LABEL_MAX} DNS allows. ${fix}`
          : `${q} is not a DNS host name (each part between dots: lower-case letters, digits and '-', starting and ending with a letter or digit). ${fix}`;
      }
    }
  }
  if (port !== undefined && (!/^[1-9]\d{0,4}$/.test(port) || Number(port) > 65535)) {
    return `${q} has port ${quote(port, 20)}, which is not a port. Fix: use a port from 1 to 65535, or drop ":port"`;
  }
  return undefined;
}

const port = z.number().int().check((ctx) => {
  if (ctx.value < 1 || ctx.value > 65535) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `${ctx.value} is not a valid port. Fix: use a number from 1 to 65535` });
  }
});

const nodePort = z.number().int().check((ctx) => {
  if (ctx.value < 30000 || ctx.value > 32767) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `${ctx.value} is outside the Kubernetes NodePort range. Fix: use a number from 30000 to 32767, or remove the key and let Kubernetes choose`,
    });
  }
});

const cidr = z.string().check((ctx) => {
  const problem = cidrSyntaxProblem(ctx.value);
  if (problem) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `${quote(ctx.value)} ${problem}. Fix: write an address block such as 203.0.113.0/24 or 2001:db8::/32 (a single host is 198.51.100.7/32)`,
    });
  }
});

/** Longest image reference accepted: a 255-character name (the distribution spec's limit), a 128-character tag and a digest. */
export const IMAGE_MAX = 512;

const image = z.string().check((ctx) => {
  const tooLong = lengthRule('image reference', IMAGE_MAX, 'write host/repository:tag (a repository name has at most 255 characters)')(ctx.value);
  if (tooLong) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: tooLong });
    return;
  }
  // A reference Kubernetes can pull: no spaces, no scheme, lower-case repository path.
  if (!/^[a-z0-9]([a-z0-9.:_-]*[a-z0-9])?(\/[a-z0-9._-]+)*(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/.test(ctx.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `${quote(ctx.value)} is not an image reference. Fix: write host/repository:tag or host/repository@sha256:<64 hex>, without https://`,
    });
  }
});

/** The instance every config has unless it names one; its objects keep their historical names. */
export const DEFAULT_INSTANCE = 'jcrkit';
/**
 * Longest instance name: the refresher's CronJob is named `jcrkit-token-refresher-<instance>` and
 * CronJob names are at most 52 characters (the Job controller appends an 11-character suffix;
 * https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#writing-a-cronjob-spec).
 */
export const MAX_INSTANCE_LENGTH = 52 - 'jcrkit-token-refresher-'.length;

const instance = z.string().check((ctx) => {
  const v = ctx.value;
  if (!DNS1123_LABEL.test(v)) {
    ctx.issues.push({
      code: 'custom',
      input: v,
      message: `${quote(v)} is not a valid instance name (it becomes a label value and a name suffix). Fix: use lower-case letters, digits and '-', starting and ending with a letter or digit`,
    });
  } else if (v.length > MAX_INSTANCE_LENGTH) {
    ctx.issues.push({
      code: 'custom',
      input: v,
      message: `${quote(v)} is ${v.length} characters; the refresher CronJob is named jcrkit-token-refresher-<instance> and CronJob names are at most 52 characters. Fix: use at most ${MAX_INSTANCE_LENGTH} characters`,
    });
  }
});

/**
 * `v1.10.1` = the runbook's Dashboard, `v2.7.0` = the Dashboard's last manifest release (the
 * default for now), `headlamp` = Headlamp, which SIG UI recommends since the Dashboard was archived
 * (https://github.com/kubernetes/website/pull/54261).
 */
export const PRESETS = ['v1.10.1', 'v2.7.0', 'headlamp'] as const;
export type DashboardPreset = (typeof PRESETS)[number];

const registrySchema = z
  .strictObject({
    /** JCR registry name (the runbook: `pocexam`). */
    name: z.string().check((ctx) => {
      if (!JCR_REGISTRY_NAME.test(ctx.value)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `${quote(ctx.value)} breaks JCR's registry naming rules. Fix: use 3 to 32 lower-case letters, digits and '-', starting and ending with a letter or digit`,
        });
      }
    }),
    /** JD Cloud region of the registry. */
    region: z.string().check((ctx) => {
      if (!JDCLOUD_REGION.test(ctx.value)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `${quote(ctx.value)} is not a JD Cloud region id. Fix: use an id such as cn-north-1, cn-east-2 or cn-south-1`,
        });
      }
    }),
    /** Registry host; @default `{name}-{region}.jcr.service.jdcloud.com`. */
    host: checked(registryHostProblem).optional(),
    /** Which OpenAPI service name the refresher signs for; both serve the same paths and models. */
    crService: z.enum(['cr', 'containerregistry']).default('cr'),
  })
  .superRefine((r, ctx) => {
    // The default host {name}-{region}.jcr.service.jdcloud.com must be a DNS name.
    if (r.host !== undefined) return;
    const label = `${r.name}-${r.region}`;
    if (label.length > LABEL_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        input: r.region,
        message:
          `${quote(r.region)} makes the first part of the default registry host, ${quote(label, 60)} (registry.name-registry.region), ${label.length} characters long, ` +
          `over the ${LABEL_MAX} a DNS label allows. Fix: keep registry.name and registry.region together at most ${LABEL_MAX - 1} characters, or set registry.host`,
      });
    }
  });

const pullSecretSchema = z.strictObject({
  /** Name of the kubernetes.io/dockerconfigjson Secret (the runbook: my-secret). */
  name: dnsSubdomain('Secret name').default('my-secret'),
  /**
   * Extra namespaces that need the Secret. The Dashboard's namespace and (when its image lives in
   * the registry) the refresher's are added automatically, so the runbook's mismatch - refreshing
   * `default` while the Dashboard pulls from `kube-system` - cannot happen.
   */
  namespaces: z.array(dnsLabel('namespace name')).default([]),
  /** ServiceAccounts (by name, in every target namespace) whose imagePullSecrets get the Secret. */
  serviceAccounts: z.array(dnsSubdomain('ServiceAccount name')).default(['default']),
  /** Optional e-mail written into the docker config entry, as `kubectl --docker-email` does. */
  email: checked(
    lengthRule('e-mail address', 254, 'write user@example.com or remove the key'),
    (v) => (/^[^\s@]+@[^\s@]+$/.test(v) ? undefined : `${quote(v)} is not an e-mail address. Fix: write user@example.com or remove the key`),
  ).optional(),
});

const refresherSchema = z.strictObject({
  /** Render the refresh CronJob and its RBAC. @default true */
  enabled: z.boolean().default(true),
  /** Namespace the CronJob runs in. @default kube-system */
  namespace: dnsLabel('namespace name').default('kube-system'),
  /**
   * Cron schedule (5 fields, as Kubernetes CronJob). A run that finds a fresh token mints none, so
   * a frequent schedule costs API reads, not tokens, and heals a new namespace within minutes.
   * @default every 15 minutes (DEFAULT_REFRESH_SCHEDULE)
   */
  schedule: z.string().default(DEFAULT_REFRESH_SCHEDULE),
  /** Lifetime of each JCR token in hours (GetAuthorizationToken expiredAfterHours). @default 12 */
  tokenHours: z.number().int().check((ctx) => {
    if (ctx.value < 1 || ctx.value > 24) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${ctx.value} is outside JCR's token lifetime. Fix: use a whole number of hours from 1 to 24` });
    }
  }).default(12),
  /**
   * Mint a new token only when the freshest one jcrkit wrote expires within this span (`6h`,
   * `90m`, `1h30m`). @default half of tokenHours
   */
  renewBefore: z.string().check((ctx) => {
    if (parseMinutes(ctx.value) === undefined) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${quote(ctx.value)} is not a duration. Fix: write hours and/or minutes such as 6h, 90m or 1h30m` });
    }
  }).optional(),
  /**
   * Render a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes >= 1.30) that
   * lets the refresher's ServiceAccount create only the pull Secret, as a dockerconfigjson Secret.
   * @default false
   */
  admissionPolicy: z.boolean().default(false),
  /** Secret holding JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY in the refresher namespace. */
  credentialsSecret: dnsSubdomain('Secret name').default('jdcloud-credentials'),
  /**
   * A custom image that contains the refresher (`jcrkit refresh` as entrypoint). When unset, a
   * stock pinned Node.js image runs the bundled refresher from a ConfigMap.
   */
  image: image.optional(),
  /** Release tokens superseded by this run (JCR allows at most 5 tokens per hour). @default false */
  releaseSupersededTokens: z.boolean().default(false),
  /** Check the new token against https://{host}/v2/ before writing it. @default true */
  verifyRegistry: z.boolean().default(true),
});

/** JD Cloud security group ids as the console and OpenAPI show them (sg-xxxxxxxxxx). */
const securityGroupId = z.string().check((ctx) => {
  if (!/^sg-[a-z0-9]{1,32}$/.test(ctx.value)) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `${quote(ctx.value)} is not a JD Cloud security group id. Fix: copy the id (sg-...) from the VPC console's security group list` });
  }
});

/** JD Cloud SSL certificate ids (SSL certificate service; the console shows cert-xxxxxxxxxx). */
const certificateId = z.string().check((ctx) => {
  if (!/^cert-[a-z0-9]{1,32}$/.test(ctx.value)) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `${quote(ctx.value)} is not a JD Cloud certificate id. Fix: upload the certificate in the SSL certificate console and copy its id (cert-...)` });
  }
});

const jdcloudLbSchema = z.strictObject({
  /** JD Cloud load balancer type (`loadBalancerType` of the jdcloud-load-balancer-spec annotation). @default alb */
  type: z.enum(['alb', 'nlb', 'dnlb']).optional(),
  /**
   * true = no public IP (internal load balancer, reachable from the VPC only). @default true:
   * jcrkit never puts a login on the internet unless the config says so with `internal: false`.
   */
  internal: z.boolean().default(true),
  /**
   * false = render no annotation at all, so JD Cloud's controller creates its default load
   * balancer: a public ALB (what the runbook's Service got). Only together with `internal: false`.
   * @default true
   */
  annotate: z.boolean().default(true),
  /** Security groups of the load balancer: their inbound rules decide who reaches the listener. */
  securityGroupIds: z.array(securityGroupId).optional(),
  /**
   * Terminate HTTPS at the load balancer with this JD Cloud certificate (an `Https` listener; ALB
   * only). For Headlamp, which serves plain HTTP; the Dashboard presets speak TLS themselves.
   */
  certificateId: certificateId.optional(),
  /** Bandwidth of the public IP in Mbps (the runbook: 10). */
  bandwidthMbps: z.number().int().check((ctx) => {
    if (ctx.value < 1 || ctx.value > 200) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${ctx.value} Mbps is outside 1-200. Fix: choose a bandwidth from 1 to 200 Mbps` });
    }
  }).optional(),
  /** BGP or single-line public IP. @default bgp */
  provider: z.enum(['bgp', 'no_bgp']).optional(),
  /** Keep or delete the public IP when the Service goes. @default delete */
  reclaimPolicy: z.enum(['delete', 'retain']).optional(),
});

/**
 * Explicit acknowledgements of a risky exposure. Each is refused by default; setting one is a
 * reviewed decision that stays visible in the config (and the render still warns).
 */
const acknowledgeSchema = z.strictObject({
  /** A public load balancer in front of a login account bound to cluster-admin. */
  publicClusterAdmin: z.boolean().default(false),
  /** ... with neither securityGroupIds nor loadBalancerSourceRanges (open to the whole internet). */
  unrestrictedSource: z.boolean().default(false),
  /** A public load balancer in front of Headlamp without TLS (tokens cross the internet in clear text). */
  publicPlainHttp: z.boolean().default(false),
});

const serviceSchema = z.strictObject({
  /** Name of the Service that exposes the UI. @default dashboard-lb (the runbook), headlamp for the headlamp preset */
  name: checked(...dnsLabelRules('Service name', DNS1035_LABEL, 'DNS-1035 label', 'a letter')).optional(),
  /** @default LoadBalancer (the runbook) */
  type: z.enum(['LoadBalancer', 'NodePort', 'ClusterIP']).default('LoadBalancer'),
  /** Service port. @default 9443 for v1.10.1 (the runbook), 443 for v2.7.0, 80 for headlamp (443 with TLS) */
  port: port.optional(),
  /** Fixed node port. @default 30063 for v1.10.1 (the runbook), chosen by Kubernetes otherwise */
  nodePort: nodePort.optional(),
  /**
   * Client CIDRs allowed through the load balancer. @default [] (open). Kubernetes lets a cloud
   * controller ignore this field; JD Cloud documents only securityGroupIds for restricting access.
   */
  loadBalancerSourceRanges: z.array(cidr).default([]),
  /**
   * Typed options for the service.beta.kubernetes.io/jdcloud-load-balancer-spec annotation. For
   * type LoadBalancer the annotation is always rendered (default: an internal ALB), because without
   * it JD Cloud creates a public one.
   */
  jdcloudLoadBalancer: jdcloudLbSchema.optional(),
  acknowledge: acknowledgeSchema.prefault({}),
});

/** Options of the headlamp preset only. */
const headlampSchema = z.strictObject({
  /**
   * A kubernetes.io/tls Secret (keys tls.crt, tls.key) you create in the Headlamp namespace;
   * Headlamp then serves HTTPS itself (-tls-cert-path/-tls-key-path). Without it, port 4466 is
   * plain HTTP. Never rendered by jcrkit (it would put a private key into Git).
   */
  tlsSecret: dnsSubdomain('Secret name').optional(),
  /**
   * A Secret you create with the OIDC client: keys OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
   * OIDC_ISSUER_URL and optionally OIDC_SCOPES (the keys of the chart's config.oidc.externalSecret).
   */
  oidcSecret: dnsSubdomain('Secret name').optional(),
});

const dashboardSchema = z.strictObject({
  /** Render the Dashboard. @default true */
  enabled: z.boolean().default(true),
  /** `v1.10.1` = the runbook's manifest, `v2.7.0` = official recommended.yaml, `headlamp` = Headlamp v0.45.0. @default v2.7.0 */
  preset: z.string().check((ctx) => {
    if (!(PRESETS as readonly string[]).includes(ctx.value)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `unknown preset ${quote(ctx.value)}. Fix: use one of ${PRESETS.join(', ')}` });
    }
  }).default('v2.7.0'),
  /** @default kube-system for v1.10.1, kubernetes-dashboard for v2.7.0, headlamp for headlamp */
  namespace: dnsLabel('namespace name').optional(),
  /** Dashboard image; @default the preset's image mirrored into the registry */
  image: image.optional(),
  /** metrics-scraper image (v2.7.0); @default the preset's image mirrored into the registry */
  metricsScraperImage: image.optional(),
  service: serviceSchema.prefault({}),
  /**
   * Render NetworkPolicies: the UI pod admits traffic only on its own port, the metrics scraper
   * (v2.7.0) only from the Dashboard pod. Egress stays open (the UI talks to the API server).
   * @default false
   */
  networkPolicy: z.boolean().default(false),
  headlamp: headlampSchema.optional(),
});

const adminSchema = z.strictObject({
  /** Render the login ServiceAccount and its ClusterRoleBinding. @default true */
  enabled: z.boolean().default(true),
  /** @default dashboard-admin (the runbook), headlamp-login for the headlamp preset */
  serviceAccount: dnsSubdomain('ServiceAccount name', (v) => derivedNameProblem(DERIVED_NAMES.adminTokenSecret, v)).optional(),
  /** @default the UI's namespace */
  namespace: dnsLabel('namespace name').optional(),
  /** ClusterRole bound to the login account. @default cluster-admin (the runbook), view for headlamp */
  clusterRole: rbacName('ClusterRole name').optional(),
  /**
   * Name of the ClusterRoleBinding. It does not depend on clusterRole, so changing the role never
   * leaves the old binding behind. @default the ServiceAccount's name
   */
  bindingName: rbacName('ClusterRoleBinding name').optional(),
  /**
   * Also render a kubernetes.io/service-account-token Secret: a token that never expires. @default
   * false: log in with short-lived tokens from the TokenRequest API (`jcrkit login-token`,
   * `kubectl create token`).
   */
  tokenSecret: z.boolean().default(false),
});

/** A registry host as in image references: `docker.io`, `ghcr.io`, `registry.k8s.io`, `host:5000`. */
const REGISTRY_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d+)?$/;
/** A mirror location: a host (with a dot or a port) and an optional repository path prefix. */
const MIRROR_LOCATION = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?((\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?|:\d+)(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

const sourceMirrors = z.record(z.string(), z.string()).check((ctx) => {
  for (const [registry, location] of Object.entries(ctx.value)) {
    if (!REGISTRY_HOST.test(registry)) {
      ctx.issues.push({ code: 'custom', input: registry, path: [registry], message: `"${registry}" is not a registry host. Fix: use the host as image references name it, e.g. docker.io, ghcr.io, registry.k8s.io` });
    }
    if (typeof location !== 'string' || !MIRROR_LOCATION.test(location)) {
      ctx.issues.push({
        code: 'custom',
        input: location,
        path: [registry],
        message: `"${String(location)}" is not a mirror location. Fix: write a host with an optional path prefix and no scheme, e.g. docker.m.daocloud.io or mirror.example.com/dockerhub`,
      });
    }
  }
});

/** A repository path inside the configured registry, with a tag: `me/app:1.2`. */
const REPOSITORY_WITH_TAG = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?$/;

const extraImage = z.strictObject({
  /** Upstream image, e.g. ghcr.io/me/app:1.2 (docker.io and library/ implied, as with docker pull). */
  from: image,
  /** Where it goes: a repository path in the registry (`me/app:1.2`) or a full reference; @default the source's path and tag */
  to: z.string().check((ctx) => {
    if (!REPOSITORY_WITH_TAG.test(ctx.value) && !(ctx.value.includes('/') && /^[a-z0-9.-]+(:\d+)?\//.test(ctx.value))) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${ctx.value}" is neither a repository path nor an image reference. Fix: write me/app:1.2 (into registry.host) or host/repository:tag` });
    }
  }).optional(),
  /** Copy only this platform (os/arch[/variant]). */
  platform: z.string().regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, 'is not a platform. Fix: write os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8').optional(),
});

const imagesSchema = z.strictObject({
  /** Reference mirrored images by digest instead of tag. @default false */
  pinDigests: z.boolean().default(false),
  /** Digests of images by target reference (printed by `jcrkit mirror --from-config`). */
  digests: z.record(z.string(), z.string().regex(/^sha256:[0-9a-f]{64}$/, 'is not a digest. Fix: write sha256:<64 lower-case hex>')).default({}),
  /**
   * Pull from these mirrors instead of the upstream registries (`docker.io: docker.m.daocloud.io`):
   * for `jcrkit mirror --from-config` where Docker Hub, ghcr.io or registry.k8s.io are out of reach.
   */
  sourceMirrors: sourceMirrors.default({}),
  /** More images for `jcrkit mirror --from-config` (your own apps); not rendered into the stack. */
  extra: z.array(extraImage).default([]),
});

export const configSchema = z.strictObject({
  /**
   * Which jcrkit stack this is, for the `app.kubernetes.io/instance` label every rendered object
   * carries (the prune selector) and for the names jcrkit picks itself, which get `-<instance>`
   * appended unless it is the default, so two instances in one cluster never share an object.
   * @default jcrkit
   */
  instance: instance.default(DEFAULT_INSTANCE),
  registry: registrySchema,
  pullSecret: pullSecretSchema.prefault({}),
  refresher: refresherSchema.prefault({}),
  dashboard: dashboardSchema.prefault({}),
  admin: adminSchema.prefault({}),
  images: imagesSchema.prefault({}),
  /** Cloud-side resources for `jcrkit network|cluster ensure` and `jcrkit up`. */
  cloud: cloudSchema.prefault({}),
});

/** The config exactly as validated (defaults filled, preset-dependent values still optional). */
export type ParsedConfig = z.output<typeof configSchema>;
/** What a user may write (everything but registry.name/region optional). */
export type ConfigInput = z.input<typeof configSchema>;

export { cronProblem };
