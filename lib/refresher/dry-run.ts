/**
 * `jcrkit refresh --dry-run`: what a run would do, found by reading only (GET). No token is
 * fetched, so whether the Secret's entry would end up byte-identical cannot be known: an existing
 * Secret is reported as "update" (a real run may find it unchanged).
 */
import type { KubeClient } from '../kube/client';
import { isKubeApiError } from '../kube/errors';
import type { Secret, ServiceAccount } from '../kube/types';
import { mapWithConcurrency } from './concurrency';
import { isSameRegistryKey } from '../model/dockerconfigjson';
import type { RefreshPlan } from '../model/refresh-plan';
import { DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE } from './pull-secret';
import { DEFAULT_CONCURRENCY } from './run';

export interface DryRunNamespace {
  namespace: string;
  secret: {
    name: string;
    wouldDo: 'create' | 'update' | 'blocked';
    /** other registries' entries that would be kept */
    keptRegistries?: string[];
    reason?: string;
  };
  serviceAccounts: { name: string; wouldDo: 'add' | 'none' | 'missing' }[];
  error?: string;
}

export interface DryRunReport {
  registryHost: string;
  secretName: string;
  tokenHours: number;
  namespaces: DryRunNamespace[];
}

export async function dryRunRefresh(plan: RefreshPlan, kube: KubeClient, concurrency = DEFAULT_CONCURRENCY): Promise<DryRunReport> {
  const namespaces = await mapWithConcurrency(plan.namespaces, concurrency, async (namespace): Promise<DryRunNamespace> => {
    const out: DryRunNamespace = { namespace, secret: { name: plan.secretName, wouldDo: 'create' }, serviceAccounts: [] };
    try {
      const secret = await getOrUndefined(() => kube.get('secrets', namespace, plan.secretName));
      if (secret) out.secret = describeSecret(secret, plan);
      for (const name of plan.serviceAccounts) {
        const sa = await getOrUndefined<ServiceAccount>(() => kube.get('serviceaccounts', namespace, name));
        out.serviceAccounts.push({ name, wouldDo: !sa ? 'missing' : sa.imagePullSecrets?.some((r) => r.name === plan.secretName) ? 'none' : 'add' });
      }
    } catch (err) {
      // e.g. 403: the real run would fail here too; report it without secret data (errors carry none)
      out.error = (err as Error).message;
    }
    return out;
  });
  return { registryHost: plan.registry.host, secretName: plan.secretName, tokenHours: plan.tokenHours, namespaces };
}

function describeSecret(secret: Secret, plan: RefreshPlan): DryRunNamespace['secret'] {
  const name = plan.secretName;
  if ((secret.type ?? 'Opaque') !== DOCKERCONFIGJSON_TYPE) {
    return { name, wouldDo: 'blocked', reason: `exists with type ${secret.type ?? 'Opaque'}` };
  }
  if (secret.immutable) return { name, wouldDo: 'blocked', reason: 'is immutable' };
  const raw = secret.data?.[DOCKERCONFIGJSON_KEY];
  let keptRegistries: string[] = [];
  if (raw !== undefined) {
    try {
      const auths = (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { auths?: Record<string, unknown> }).auths ?? {};
      keptRegistries = Object.keys(auths).filter((k) => k !== plan.registry.host && !isSameRegistryKey(k, plan.registry.host));
    } catch {
      return { name, wouldDo: 'blocked', reason: '.dockerconfigjson is not valid JSON' };
    }
  }
  return { name, wouldDo: 'update', keptRegistries };
}

async function getOrUndefined<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isKubeApiError(err, 'NotFound')) return undefined;
    throw err;
  }
}
