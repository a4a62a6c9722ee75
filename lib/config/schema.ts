/**
 * The jcrkit config file: its shape, its defaults and the rules each field must follow.
 *
 * One zod schema is the single source of truth: it rejects unknown keys (strictObject), checks
 * types and ranges, and fills defaults, so `jcrkit synth`, `cdk8s synth` and the KRM function all
 * accept exactly the same documents. Rules whose message needs a "fix" hint use `.check()`/refine
 * with a message in the form "<what is wrong>. Fix: <what to do>"; the loader prefixes the
 * dotted field path.
 */
import { z } from 'zod';
import { isCidr } from './cidr';
import { cronProblem } from './cron';
import { cloudSchema } from './cloud-schema';

/** DNS-1123 label: Namespace names, and the names we give every object (RFC 1123, max 63). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
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

const dnsLabel = (what: string) =>
  z.string().check((ctx) => {
    const v = ctx.value;
    if (v.length > 63 || !DNS1123_LABEL.test(v)) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        message: `"${v}" is not a valid ${what} (DNS-1123 label). Fix: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
      });
    }
  });

const dnsSubdomain = (what: string) =>
  z.string().check((ctx) => {
    const v = ctx.value;
    if (v.length > 253 || !DNS1123_SUBDOMAIN.test(v)) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        message: `"${v}" is not a valid ${what} (DNS-1123 subdomain). Fix: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
      });
    }
  });

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
  if (!isCidr(ctx.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `"${ctx.value}" is not a CIDR. Fix: write an address block such as 203.0.113.0/24 or 2001:db8::/32 (a single host is 198.51.100.7/32)`,
    });
  }
});

const image = z.string().check((ctx) => {
  // A reference Kubernetes can pull: no spaces, no scheme, lower-case repository path.
  if (!/^[a-z0-9]([a-z0-9.:_-]*[a-z0-9])?(\/[a-z0-9._-]+)*(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/.test(ctx.value)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `"${ctx.value}" is not an image reference. Fix: write host/repository:tag or host/repository@sha256:<64 hex>, without https://`,
    });
  }
});

export const PRESETS = ['v1.10.1', 'v2.7.0'] as const;
export type DashboardPreset = (typeof PRESETS)[number];

const registrySchema = z.strictObject({
  /** JCR registry name (the runbook: `pocexam`). */
  name: z.string().check((ctx) => {
    if (!JCR_REGISTRY_NAME.test(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `"${ctx.value}" breaks JCR's registry naming rules. Fix: use 3 to 32 lower-case letters, digits and '-', starting and ending with a letter or digit`,
      });
    }
  }),
  /** JD Cloud region of the registry. */
  region: z.string().check((ctx) => {
    if (!JDCLOUD_REGION.test(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `"${ctx.value}" is not a JD Cloud region id. Fix: use an id such as cn-north-1, cn-east-2 or cn-south-1`,
      });
    }
  }),
  /** Registry host; @default `{name}-{region}.jcr.service.jdcloud.com`. */
  host: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, 'must be a host name with an optional :port and no scheme. Fix: drop https:// and any path').optional(),
  /** Which OpenAPI service name the refresher signs for; both serve the same paths and models. */
  crService: z.enum(['cr', 'containerregistry']).default('cr'),
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
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'is not an e-mail address. Fix: write user@example.com or remove the key').optional(),
});

const refresherSchema = z.strictObject({
  /** Render the refresh CronJob and its RBAC. @default true */
  enabled: z.boolean().default(true),
  /** Namespace the CronJob runs in. @default kube-system */
  namespace: dnsLabel('namespace name').default('kube-system'),
  /** Cron schedule (5 fields, as Kubernetes CronJob). @default "0 * * * *" (hourly, as the runbook) */
  schedule: z.string().default('0 * * * *'),
  /** Lifetime of each JCR token in hours (GetAuthorizationToken expiredAfterHours). @default 12 */
  tokenHours: z.number().int().check((ctx) => {
    if (ctx.value < 1 || ctx.value > 24) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${ctx.value} is outside JCR's token lifetime. Fix: use a whole number of hours from 1 to 24` });
    }
  }).default(12),
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

const jdcloudLbSchema = z.strictObject({
  /** JD Cloud load balancer type (`loadBalancerType` of the jdcloud-load-balancer-spec annotation). @default alb */
  type: z.enum(['alb', 'nlb', 'dnlb']).default('alb'),
  /** true = no public IP (internal load balancer). @default false */
  internal: z.boolean().default(false),
  /** Bandwidth of the public IP in Mbps (the runbook: 10). */
  bandwidthMbps: z.number().int().check((ctx) => {
    if (ctx.value < 1 || ctx.value > 200) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${ctx.value} Mbps is outside 1-200. Fix: choose a bandwidth from 1 to 200 Mbps` });
    }
  }).optional(),
  /** BGP or single-line public IP. @default bgp */
  provider: z.enum(['bgp', 'no_bgp']).default('bgp'),
  /** Keep or delete the public IP when the Service goes. @default delete */
  reclaimPolicy: z.enum(['delete', 'retain']).default('delete'),
});

const serviceSchema = z.strictObject({
  /** Name of the Service that exposes the Dashboard. @default dashboard-lb */
  name: dnsLabel('Service name').default('dashboard-lb'),
  /** @default LoadBalancer (the runbook) */
  type: z.enum(['LoadBalancer', 'NodePort', 'ClusterIP']).default('LoadBalancer'),
  /** Service port. @default 9443 for v1.10.1 (the runbook), 443 for v2.7.0 */
  port: port.optional(),
  /** Fixed node port. @default 30063 for v1.10.1 (the runbook), chosen by Kubernetes otherwise */
  nodePort: nodePort.optional(),
  /** Client CIDRs allowed through the load balancer. @default [] (open) */
  loadBalancerSourceRanges: z.array(cidr).default([]),
  /** Typed options for the service.beta.kubernetes.io/jdcloud-load-balancer-spec annotation. */
  jdcloudLoadBalancer: jdcloudLbSchema.optional(),
});

const dashboardSchema = z.strictObject({
  /** Render the Dashboard. @default true */
  enabled: z.boolean().default(true),
  /** `v1.10.1` = the runbook's manifest, `v2.7.0` = official recommended.yaml. @default v2.7.0 */
  preset: z.string().check((ctx) => {
    if (!(PRESETS as readonly string[]).includes(ctx.value)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `unknown preset "${ctx.value}". Fix: use one of ${PRESETS.join(', ')}` });
    }
  }).default('v2.7.0'),
  /** @default kube-system for v1.10.1, kubernetes-dashboard for v2.7.0 */
  namespace: dnsLabel('namespace name').optional(),
  /** Dashboard image; @default the preset's image mirrored into the registry */
  image: image.optional(),
  /** metrics-scraper image (v2.7.0); @default the preset's image mirrored into the registry */
  metricsScraperImage: image.optional(),
  service: serviceSchema.prefault({}),
});

const adminSchema = z.strictObject({
  /** Render the login ServiceAccount, its binding and token Secret. @default true */
  enabled: z.boolean().default(true),
  /** @default dashboard-admin (the runbook) */
  serviceAccount: dnsSubdomain('ServiceAccount name').default('dashboard-admin'),
  /** @default the Dashboard namespace */
  namespace: dnsLabel('namespace name').optional(),
  /** ClusterRole bound to the login account. @default cluster-admin (the runbook); `view` is safer */
  clusterRole: dnsSubdomain('ClusterRole name').default('cluster-admin'),
});

const imagesSchema = z.strictObject({
  /** Reference mirrored images by digest instead of tag. @default false */
  pinDigests: z.boolean().default(false),
  /** Digests of images by target reference (printed by `jcrkit mirror --from-config`). */
  digests: z.record(z.string(), z.string().regex(/^sha256:[0-9a-f]{64}$/, 'is not a digest. Fix: write sha256:<64 lower-case hex>')).default({}),
});

export const configSchema = z.strictObject({
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
