/**
 * `jcrkit refresh --dry-run`: what a run would do, checked rather than promised. It reads what
 * the real run reads, decides like it (reuse the recorded token, or mint), fetches no token, and
 * sends every write the run would send as a server-side dry run (`?dryRun=All`): the API server
 * authorizes, admits (admission policies included) and validates it, and stores nothing
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run). So a namespace that
 * does not exist, a missing RBAC right or a rejecting admission policy shows up here as a problem,
 * not as "would create".
 */
import type { KubeClient } from '../kube/client';
import { getOrUndefined, isKubeApiError } from '../kube/errors';
import type { Secret, ServiceAccount } from '../kube/types';
import { describeSpan } from '../core/duration';
import { mapWithConcurrency } from './concurrency';
import { dockerAuthEntry, isSameRegistryKey } from '../model/dockerconfigjson';
import type { RefreshPlan } from '../model/refresh-plan';
import { DOCKERCONFIGJSON_KEY, EXPIRES_AT_ANNOTATION, secretState, upsertPullSecret, type SecretState } from './pull-secret';
import type { Redactor } from '../core/redact';
import { DEFAULT_CONCURRENCY } from './run';
import { appendPatch } from './service-account';
import { FIELD_MANAGER } from './pull-secret';

export interface DryRunNamespace {
  namespace: string;
  secret: {
    name: string;
    wouldDo: 'create' | 'update' | 'unchanged' | 'blocked';
    /** other registries' entries that would be kept */
    keptRegistries?: string[];
    /** the expiry recorded on it now */
    expiresAt?: string;
    /** why it is blocked, with the fix */
    reason?: string;
  };
  serviceAccounts: { name: string; wouldDo: 'add' | 'none' | 'missing' | 'blocked'; reason?: string }[];
  error?: string;
}

export interface DryRunReport {
  registryHost: string;
  secretName: string;
  tokenHours: number;
  token: { wouldMint: boolean; reason: string; reuseFrom?: string; expiresAt?: string };
  namespaces: DryRunNamespace[];
  /** how many namespaces have a problem the real run would fail on */
  problems: number;
}

export interface DryRunOptions {
  concurrency?: number;
  force?: boolean;
  now?: () => Date;
  redactor?: Redactor;
}

export async function dryRunRefresh(plan: RefreshPlan, kube: KubeClient, opts: DryRunOptions = {}): Promise<DryRunReport> {
  const now = (opts.now ?? (() => new Date()))();
  const describe = (err: unknown) => (opts.redactor ? opts.redactor.describe(err) : (err as Error).message);
  const reads = await mapWithConcurrency(plan.namespaces, opts.concurrency ?? DEFAULT_CONCURRENCY, async (namespace) => {
    try {
      const secret = await getOrUndefined<Secret>(() => kube.get('secrets', namespace, plan.secretName));
      const state = secretState(secret, plan.registry.host);
      if (state.kind === 'present' && state.token) opts.redactor?.addCredentials(state.token.username, state.token.password);
      return { namespace, state };
    } catch (err) {
      return { namespace, error: describe(err) };
    }
  });

  // the same decision as the real run
  let best: { namespace: string; expiresAt: Date; password: string } | undefined;
  for (const r of reads) {
    const t = r.state?.kind === 'present' ? r.state.token : undefined;
    if (t && (!best || t.expiresAt > best.expiresAt)) best = { namespace: r.namespace, expiresAt: t.expiresAt, password: t.password };
  }
  const renewBeforeMs = plan.renewBeforeMinutes * 60_000;
  const reuse = best && !opts.force && best.expiresAt.getTime() - now.getTime() > renewBeforeMs ? best : undefined;
  const token: DryRunReport['token'] = reuse
    ? {
        wouldMint: false,
        reuseFrom: reuse.namespace,
        expiresAt: reuse.expiresAt.toISOString(),
        reason: `the token recorded in ${reuse.namespace} is valid for ${describeSpan(reuse.expiresAt.getTime() - now.getTime())}, longer than renewBefore (${describeSpan(renewBeforeMs)}): no token would be minted`,
      }
    : {
        wouldMint: true,
        reason: opts.force
          ? 'forced (--force): a new token would be minted'
          : best
            ? `the freshest recorded token (${best.namespace}) expires in ${describeSpan(best.expiresAt.getTime() - now.getTime())}, within renewBefore (${describeSpan(renewBeforeMs)}): a new token would be minted`
            : 'no token recorded yet: a new token would be minted',
      };

  const saNamespaces = new Set(plan.serviceAccountNamespaces);
  const placeholder = dockerAuthEntry('jcrkit-dry-run', reuse ? 'jcrkit-dry-run-reuse' : 'jcrkit-dry-run');
  const namespaces = await mapWithConcurrency(reads, opts.concurrency ?? DEFAULT_CONCURRENCY, async (r): Promise<DryRunNamespace> => {
    const out: DryRunNamespace = { namespace: r.namespace, secret: { name: plan.secretName, wouldDo: 'create' }, serviceAccounts: [] };
    if (r.error !== undefined) {
      out.error = `cannot read Secret ${plan.secretName}: ${r.error}`;
      return out;
    }
    const state = r.state as SecretState;
    out.secret = describeSecret(state, plan);
    if (state.kind !== 'blocked') {
      const holdsChosen = reuse && state.kind === 'present' && state.token?.password === reuse.password && state.token.expiresAt.getTime() === reuse.expiresAt.getTime();
      if (holdsChosen) {
        out.secret.wouldDo = 'unchanged';
      } else {
        try {
          await upsertPullSecret(kube, {
            namespace: r.namespace,
            name: plan.secretName,
            host: plan.registry.host,
            entry: placeholder,
            refreshedAt: now.toISOString(),
            expiresAt: (reuse?.expiresAt ?? new Date(now.getTime() + plan.tokenHours * 3600_000)).toISOString(),
            current: state.kind === 'present' ? state.secret : null,
            dryRun: true,
          });
        } catch (err) {
          out.secret.wouldDo = 'blocked';
          out.secret.reason = explainWriteFailure(err, r.namespace, plan, describe);
        }
      }
    }
    if (!saNamespaces.has(r.namespace)) return out;
    for (const name of plan.serviceAccounts) {
      try {
        const sa = await getOrUndefined<ServiceAccount>(() => kube.get('serviceaccounts', r.namespace, name));
        if (!sa) {
          out.serviceAccounts.push({ name, wouldDo: 'missing' });
        } else if (sa.imagePullSecrets?.some((ref) => ref?.name === plan.secretName)) {
          out.serviceAccounts.push({ name, wouldDo: 'none' });
        } else {
          await kube.patch('serviceaccounts', r.namespace, name, appendPatch(sa, plan.secretName), 'json', { fieldManager: FIELD_MANAGER, dryRun: true });
          out.serviceAccounts.push({ name, wouldDo: 'add' });
        }
      } catch (err) {
        out.serviceAccounts.push({ name, wouldDo: 'blocked', reason: explainWriteFailure(err, r.namespace, plan, describe) });
      }
    }
    return out;
  });
  const problems = namespaces.filter((n) => n.error || n.secret.wouldDo === 'blocked' || n.serviceAccounts.some((s) => s.wouldDo === 'blocked')).length;
  return { registryHost: plan.registry.host, secretName: plan.secretName, tokenHours: plan.tokenHours, token, namespaces, problems };
}

function describeSecret(state: SecretState, plan: RefreshPlan): DryRunNamespace['secret'] {
  const name = plan.secretName;
  if (state.kind === 'missing') return { name, wouldDo: 'create' };
  if (state.kind === 'blocked') return { name, wouldDo: 'blocked', reason: state.reason };
  const raw = state.secret.data?.[DOCKERCONFIGJSON_KEY];
  let keptRegistries: string[] = [];
  if (raw !== undefined) {
    const auths = (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { auths?: Record<string, unknown> }).auths ?? {};
    keptRegistries = Object.keys(auths).filter((k) => k !== plan.registry.host && !isSameRegistryKey(k, plan.registry.host));
  }
  const expiresAt = state.secret.metadata?.annotations?.[EXPIRES_AT_ANNOTATION];
  return { name, wouldDo: 'update', keptRegistries, ...(expiresAt ? { expiresAt } : {}) };
}

/** A dry-run write's failure as the fix a person needs. */
function explainWriteFailure(err: unknown, namespace: string, plan: RefreshPlan, describe: (e: unknown) => string): string {
  if (isKubeApiError(err, 'NotFound') && /namespaces? "?[^"]*"? not found/.test(err.serverMessage)) {
    return `namespace ${namespace} does not exist. Fix: create it (kubectl create namespace ${namespace}) or remove it from pullSecret.namespaces`;
  }
  if (isKubeApiError(err, 'Forbidden')) {
    return `not allowed: ${err.serverMessage}. Fix: run as an identity that may write Secret ${plan.secretName} and the ServiceAccounts there (the rendered Role shows what the refresher needs)`;
  }
  return describe(err);
}

export function formatDryRun(r: DryRunReport): string {
  const lines = [
    `dry run: no token fetched, nothing written (every write was sent as a server-side dry run). Registry ${r.registryHost}, Secret ${r.secretName}, token ${r.tokenHours} h`,
    `token: ${r.token.reason}`,
  ];
  for (const n of r.namespaces) {
    if (n.error) {
      lines.push(`${n.namespace}: PROBLEM: ${n.error}`);
      continue;
    }
    const s = n.secret;
    let secret =
      s.wouldDo === 'blocked'
        ? `Secret ${s.name}: PROBLEM: would NOT be written: ${s.reason}`
        : s.wouldDo === 'unchanged'
          ? `Secret ${s.name}: already holds the token (unchanged)`
          : `Secret ${s.name}: would ${s.wouldDo}`;
    if (s.keptRegistries?.length) secret += ` (keeping entries for ${s.keptRegistries.join(', ')})`;
    const sas = n.serviceAccounts.map((a) =>
      a.wouldDo === 'add'
        ? `ServiceAccount ${a.name}: would add the Secret`
        : a.wouldDo === 'none'
          ? `ServiceAccount ${a.name}: already references it`
          : a.wouldDo === 'missing'
            ? `ServiceAccount ${a.name}: missing (would not be created)`
            : `ServiceAccount ${a.name}: PROBLEM: ${a.reason}`,
    );
    lines.push(`${n.namespace}: ${[secret, ...sas].join('; ')}`);
  }
  lines.push(r.problems ? `${r.problems} namespace(s) with a problem: the real run would fail there` : 'no problems found');
  return lines.join('\n') + '\n';
}
