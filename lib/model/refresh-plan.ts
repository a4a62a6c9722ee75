/**
 * What one refresh run does, as data. In the pod it arrives as JSON in JCRKIT_REFRESH_PLAN
 * (rendered by the stack from the config); `jcrkit refresh` builds it from flags or --plan-file.
 */

import { InputError } from '../core/errors';

export type CrService = 'cr' | 'containerregistry';

export interface RefreshPlan {
  /** host = {name}-{region}.jcr.service.jdcloud.com unless overridden */
  registry: { name: string; region: string; host: string };
  secretName: string;
  email?: string;
  /** where the pull Secret is written */
  namespaces: string[];
  /** ServiceAccount names to point at the Secret, in every namespace of `serviceAccountNamespaces` */
  serviceAccounts: string[];
  /**
   * The namespaces whose ServiceAccounts are patched: the ones the user listed. Namespaces added
   * only because a rendered workload pulls from the registry are left out: those pods name the
   * Secret themselves, and patching `default` there would be a right the refresher does not need.
   * Default (older plans): every namespace.
   */
  serviceAccountNamespaces: string[];
  /** token validity, 1–24 h */
  tokenHours: number;
  /**
   * A run mints a new token only when the freshest one jcrkit wrote expires within this many
   * minutes; otherwise it copies that token where it is missing or older. Default: half of
   * tokenHours.
   */
  renewBeforeMinutes: number;
  /** Namespace of the refresher's CronJob: where each run records its Event. @default kube-system */
  refresherNamespace: string;
  /**
   * Name of the refresher's CronJob (and ServiceAccount), which its Events are about and `jcrkit
   * status` reads. Only present when it is not REFRESHER_NAME: a second jcrkit instance in the
   * cluster names it jcrkit-token-refresher-<instance>.
   */
  refresherName?: string;
  crService: CrService;
  /**
   * After every namespace holds the new token, release the registry's other tokens. JCR issues at
   * most 5 tokens per hour per registry, so stale ones are worth cleaning up — but only when this
   * refresher is the registry's sole token user: it releases tokens other people or clusters use.
   */
  releaseSupersededTokens: boolean;
  /** check the credentials against https://{host}/v2/ before writing anything (skipped with a warning when unreachable) */
  verifyRegistry: boolean;
}

export const PLAN_ENV = 'JCRKIT_REFRESH_PLAN';
export const PLAN_DEFAULTS = { tokenHours: 12, crService: 'cr' as CrService, releaseSupersededTokens: false, verifyRegistry: true };

/** A plan that fails validation; the message names the field and the fix. */
export class RefreshPlanError extends InputError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`refresh plan: ${field}: ${problem}`);
  }
}

export function defaultRegistryHost(name: string, region: string): string {
  return `${name}-${region}.jcr.service.jdcloud.com`;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_PORT = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*(:\d{1,5})?$/;
const TOP_KEYS = [
  'registry',
  'secretName',
  'email',
  'namespaces',
  'serviceAccounts',
  'serviceAccountNamespaces',
  'tokenHours',
  'renewBeforeMinutes',
  'refresherNamespace',
  'refresherName',
  'crService',
  'releaseSupersededTokens',
  'verifyRegistry',
];

/** The CronJob (and ServiceAccount) name of the in-cluster refresher; Events are about this object. */
export const REFRESHER_NAME = 'jcrkit-token-refresher';

/** The refresher CronJob's name for a plan (plans of the default instance carry none). */
export function refresherNameOf(plan: Pick<RefreshPlan, 'refresherName'>): string {
  return plan.refresherName ?? REFRESHER_NAME;
}
const REGISTRY_KEYS = ['name', 'region', 'host'];

/** Parses and validates plan JSON; `source` names where it came from in messages. */
export function parseRefreshPlan(json: string, source = PLAN_ENV): RefreshPlan {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new RefreshPlanError(source, `is not valid JSON (${(err as Error).message})`);
  }
  return validateRefreshPlan(value);
}

/**
 * Checks a plan object and fills defaults (host, tokenHours 12, crService cr, release off,
 * verify on). Unknown keys are errors, like everywhere in jcrkit's configuration.
 */
export function validateRefreshPlan(value: unknown): RefreshPlan {
  const obj = expectObject(value, '(plan)');
  rejectUnknown(obj, TOP_KEYS, '');
  const reg = expectObject(obj.registry, 'registry');
  rejectUnknown(reg, REGISTRY_KEYS, 'registry.');
  const name = expectString(reg.name, 'registry.name');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) || name.length > 32) {
    throw new RefreshPlanError('registry.name', `"${name}" is not a JCR registry name (lower-case letters, digits and '-', at most 32)`);
  }
  const region = expectString(reg.region, 'registry.region');
  if (!/^[a-z]+-[a-z]+-\d+$/.test(region)) throw new RefreshPlanError('registry.region', `"${region}" is not a region id like cn-north-1`);
  const host = reg.host === undefined || reg.host === '' ? defaultRegistryHost(name, region) : expectString(reg.host, 'registry.host');
  if (!HOST_PORT.test(host)) {
    throw new RefreshPlanError('registry.host', `"${host}" must be a bare host[:port] such as ${defaultRegistryHost(name, region)} (no scheme or path)`);
  }

  const secretName = expectString(obj.secretName, 'secretName');
  if (!DNS1123_SUBDOMAIN.test(secretName) || secretName.length > 253) {
    throw new RefreshPlanError('secretName', `"${secretName}" is not a valid Secret name (lower-case RFC 1123 subdomain)`);
  }
  const email = obj.email === undefined || obj.email === '' ? undefined : expectString(obj.email, 'email');

  const namespaces = expectNames(obj.namespaces, 'namespaces', DNS1123_LABEL, 63);
  if (namespaces.length === 0) throw new RefreshPlanError('namespaces', 'must name at least one namespace');
  const serviceAccounts = obj.serviceAccounts === undefined ? [] : expectNames(obj.serviceAccounts, 'serviceAccounts', DNS1123_SUBDOMAIN, 253);

  const tokenHours = obj.tokenHours === undefined ? PLAN_DEFAULTS.tokenHours : obj.tokenHours;
  if (typeof tokenHours !== 'number' || !Number.isInteger(tokenHours) || tokenHours < 1 || tokenHours > 24) {
    throw new RefreshPlanError('tokenHours', `must be a whole number of hours from 1 to 24 (got ${JSON.stringify(tokenHours)})`);
  }
  const renewBeforeMinutes = obj.renewBeforeMinutes === undefined ? tokenHours * 30 : obj.renewBeforeMinutes;
  if (typeof renewBeforeMinutes !== 'number' || !Number.isInteger(renewBeforeMinutes) || renewBeforeMinutes < 1 || renewBeforeMinutes >= tokenHours * 60) {
    throw new RefreshPlanError('renewBeforeMinutes', `must be a whole number of minutes from 1 to less than tokenHours × 60 (${tokenHours * 60}) (got ${JSON.stringify(renewBeforeMinutes)})`);
  }
  const serviceAccountNamespaces = obj.serviceAccountNamespaces === undefined ? namespaces : expectNames(obj.serviceAccountNamespaces, 'serviceAccountNamespaces', DNS1123_LABEL, 63);
  serviceAccountNamespaces.forEach((ns, i) => {
    if (!namespaces.includes(ns)) throw new RefreshPlanError(`serviceAccountNamespaces[${i}]`, `"${ns}" is not one of namespaces`);
  });
  const refresherNamespace = obj.refresherNamespace === undefined ? 'kube-system' : expectString(obj.refresherNamespace, 'refresherNamespace');
  if (!DNS1123_LABEL.test(refresherNamespace) || refresherNamespace.length > 63) {
    throw new RefreshPlanError('refresherNamespace', `"${refresherNamespace}" is not a valid namespace name`);
  }
  const refresherName = obj.refresherName === undefined ? undefined : expectString(obj.refresherName, 'refresherName');
  // a CronJob name: at most 52 characters (the Job controller appends 11)
  if (refresherName !== undefined && (!DNS1123_LABEL.test(refresherName) || refresherName.length > 52)) {
    throw new RefreshPlanError('refresherName', `"${refresherName}" is not a valid CronJob name (lower-case letters, digits and '-', at most 52)`);
  }
  const crService = obj.crService === undefined ? PLAN_DEFAULTS.crService : obj.crService;
  if (crService !== 'cr' && crService !== 'containerregistry') {
    throw new RefreshPlanError('crService', `must be "cr" or "containerregistry" (got ${JSON.stringify(crService)})`);
  }
  return {
    registry: { name, region, host },
    secretName,
    ...(email !== undefined ? { email } : {}),
    namespaces,
    serviceAccounts,
    serviceAccountNamespaces,
    tokenHours,
    renewBeforeMinutes,
    refresherNamespace,
    ...(refresherName !== undefined ? { refresherName } : {}),
    crService,
    releaseSupersededTokens: expectBoolean(obj.releaseSupersededTokens, 'releaseSupersededTokens', PLAN_DEFAULTS.releaseSupersededTokens),
    verifyRegistry: expectBoolean(obj.verifyRegistry, 'verifyRegistry', PLAN_DEFAULTS.verifyRegistry),
  };
}

function expectObject(v: unknown, field: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new RefreshPlanError(field, 'must be an object');
  return v as Record<string, unknown>;
}

function expectString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new RefreshPlanError(field, 'must be a non-empty string');
  return v;
}

function expectBoolean(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new RefreshPlanError(field, `must be true or false (got ${JSON.stringify(v)})`);
  return v;
}

function expectNames(v: unknown, field: string, pattern: RegExp, max: number): string[] {
  if (!Array.isArray(v)) throw new RefreshPlanError(field, 'must be a list of names');
  const seen = new Set<string>();
  v.forEach((item, i) => {
    if (typeof item !== 'string' || !pattern.test(item) || item.length > max) {
      throw new RefreshPlanError(`${field}[${i}]`, `${JSON.stringify(item)} is not a valid Kubernetes name (lower-case letters, digits and '-')`);
    }
    if (seen.has(item)) throw new RefreshPlanError(`${field}[${i}]`, `"${item}" is listed twice`);
    seen.add(item);
  });
  return [...seen];
}

function rejectUnknown(obj: Record<string, unknown>, known: string[], prefix: string): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) throw new RefreshPlanError(`${prefix}${k}`, `unknown key (known: ${known.join(', ')})`);
  }
}
