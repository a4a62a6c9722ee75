/**
 * `jcrkit status`: is the pull Secret fresh everywhere, and will it stay so? Read-only. Per target
 * namespace: the expiry jcrkit recorded (jcrkit.io/expires-at), the time left, who wrote it, and
 * whether the configured ServiceAccounts reference it; the CronJob's last schedule and last
 * success and its latest Event; and pods stuck pulling an image from the registry
 * (ImagePullBackOff / ErrImagePull, https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff).
 *
 * `ok` is false — exit 1 — when a Secret is missing, expired or expires within the renew window,
 * a ServiceAccount does not reference it, the CronJob is missing, or a pod cannot pull from the
 * registry; every problem carries its fix.
 */
import { describeSpan, formatMinutes } from '../core/duration';
import type { KubeClient } from '../kube/client';
import { getOrUndefined } from '../kube/errors';
import type { CronJob, KubeEvent, KubeList, Pod, Secret, ServiceAccount } from '../kube/types';
import { refresherNameOf, type RefreshPlan } from '../model/refresh-plan';
import { mapWithConcurrency } from './concurrency';
import { EVENT_COMPONENT } from './events';
import { EXPIRES_AT_ANNOTATION, REFRESHED_AT_ANNOTATION, REFRESHED_BY_ANNOTATION, secretState } from './pull-secret';
import { DEFAULT_CONCURRENCY } from './run';

export interface Problem {
  problem: string;
  fix: string;
}

export interface NamespaceStatus {
  namespace: string;
  secret: {
    state: 'fresh' | 'expiring' | 'expired' | 'missing' | 'undated' | 'blocked' | 'unreadable';
    expiresAt?: string;
    /** ms; negative once expired */
    timeLeftMs?: number;
    refreshedAt?: string;
    refreshedBy?: string;
    /** managers in metadata.managedFields (last writer last) */
    managers?: string[];
  };
  serviceAccounts: { name: string; references: boolean | 'missing' | 'unreadable' }[];
  problems: Problem[];
}

export interface PullFailure {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  reason: string;
}

export interface StatusReport {
  registryHost: string;
  secretName: string;
  renewBefore: string;
  now: string;
  namespaces: NamespaceStatus[];
  cronJob?: {
    namespace: string;
    name: string;
    found: boolean;
    schedule?: string;
    suspended?: boolean;
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
    activeJobs?: number;
    lastEvent?: { reason?: string; message?: string; time?: string; type?: string };
    problems: Problem[];
  };
  pullFailures: (PullFailure & Problem)[];
  /** every problem, in order: namespaces, CronJob, pods */
  problems: number;
  ok: boolean;
}

export interface StatusOptions {
  /** false when refresher.enabled is false: no CronJob expected */
  cronJob?: boolean;
  /** the config file for the fixes ("jcrkit refresh --config FILE") */
  configHint?: string;
  now?: () => Date;
  concurrency?: number;
}

const PULL_FAILURES = new Set(['ImagePullBackOff', 'ErrImagePull']);

export async function collectStatus(plan: RefreshPlan, kube: KubeClient, opts: StatusOptions = {}): Promise<StatusReport> {
  const now = (opts.now ?? (() => new Date()))();
  const renewMs = plan.renewBeforeMinutes * 60_000;
  const refresh = `jcrkit refresh${opts.configHint ? ` --config ${opts.configHint}` : ''}`;
  const saNamespaces = new Set(plan.serviceAccountNamespaces);

  const namespaces = await mapWithConcurrency(plan.namespaces, opts.concurrency ?? DEFAULT_CONCURRENCY, async (namespace): Promise<NamespaceStatus> => {
    const out: NamespaceStatus = { namespace, secret: { state: 'missing' }, serviceAccounts: [], problems: [] };
    let secret: Secret | undefined;
    try {
      secret = await getOrUndefined(() => kube.get('secrets', namespace, plan.secretName));
    } catch (err) {
      out.secret.state = 'unreadable';
      out.problems.push({ problem: `cannot read Secret ${plan.secretName}: ${(err as Error).message}`, fix: 'run as an identity that may read Secrets there (kubectl auth can-i get secrets -n ' + namespace + ')' });
    }
    if (out.secret.state !== 'unreadable') describeSecret(out, secret, plan, now, renewMs, refresh);
    if (saNamespaces.has(namespace)) {
      for (const name of plan.serviceAccounts) {
        try {
          const sa = await getOrUndefined<ServiceAccount>(() => kube.get('serviceaccounts', namespace, name));
          const references = sa ? Boolean(sa.imagePullSecrets?.some((r) => r?.name === plan.secretName)) : ('missing' as const);
          out.serviceAccounts.push({ name, references });
          if (references === false) out.problems.push({ problem: `ServiceAccount ${name} does not reference ${plan.secretName}`, fix: `${refresh} (adds it to imagePullSecrets)` });
        } catch {
          out.serviceAccounts.push({ name, references: 'unreadable' });
        }
      }
    }
    return out;
  });

  const report: StatusReport = {
    registryHost: plan.registry.host,
    secretName: plan.secretName,
    renewBefore: formatMinutes(plan.renewBeforeMinutes),
    now: now.toISOString(),
    namespaces,
    pullFailures: [],
    problems: 0,
    ok: true,
  };

  if (opts.cronJob !== false) report.cronJob = await cronJobStatus(kube, plan.refresherNamespace, refresherNameOf(plan));

  // pods that cannot pull from the registry, in every namespace the Secret serves (and the refresher's)
  const podNamespaces = [...new Set([...plan.namespaces, plan.refresherNamespace])];
  await mapWithConcurrency(podNamespaces, opts.concurrency ?? DEFAULT_CONCURRENCY, async (namespace) => {
    let pods: KubeList<Pod>;
    try {
      pods = await kube.list('pods', namespace);
    } catch {
      return; // no right to list pods: nothing to say about them
    }
    for (const pod of pods.items) {
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      for (const c of statuses) {
        const reason = c.state?.waiting?.reason;
        const image = c.image ?? [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === c.name)?.image ?? '';
        if (!reason || !PULL_FAILURES.has(reason) || imageHost(image) !== plan.registry.host.toLowerCase()) continue;
        const name = pod.metadata?.name ?? '?';
        report.pullFailures.push({
          namespace,
          pod: name,
          container: c.name,
          image,
          reason,
          problem: `pod ${name} (container ${c.name}) is in ${reason} for ${image}`,
          fix: `${refresh}, then \`kubectl -n ${namespace} delete pod ${name}\` to retry now (if the image itself is missing: jcrkit mirror --from-config)`,
        });
      }
    }
  });
  report.pullFailures.sort((a, b) => `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`));

  report.problems = namespaces.reduce((n, s) => n + s.problems.length, 0) + (report.cronJob?.problems.length ?? 0) + report.pullFailures.length;
  report.ok = report.problems === 0;
  return report;
}

function describeSecret(out: NamespaceStatus, secret: Secret | undefined, plan: RefreshPlan, now: Date, renewMs: number, refresh: string): void {
  const ns = out.namespace;
  if (!secret) {
    out.secret.state = 'missing';
    out.problems.push({ problem: `Secret ${plan.secretName} is missing`, fix: `${refresh} (or wait for the CronJob's next run; if the namespace itself is missing, create it)` });
    return;
  }
  const a = secret.metadata?.annotations ?? {};
  out.secret.refreshedAt = a[REFRESHED_AT_ANNOTATION];
  out.secret.refreshedBy = a[REFRESHED_BY_ANNOTATION];
  const managers = ((secret.metadata?.managedFields as { manager?: string; time?: string }[] | undefined) ?? [])
    .slice()
    .sort((x, y) => String(x.time ?? '').localeCompare(String(y.time ?? '')))
    .map((m) => m.manager ?? '?');
  if (managers.length) out.secret.managers = managers;
  const state = secretState(secret, plan.registry.host);
  if (state.kind === 'blocked') {
    out.secret.state = 'blocked';
    out.problems.push({ problem: `Secret ${plan.secretName} ${state.reason.split(';')[0]}`, fix: state.reason.includes(';') ? state.reason.slice(state.reason.indexOf(';') + 1).trim() : `delete it (kubectl -n ${ns} delete secret ${plan.secretName}), then ${refresh}` });
    return;
  }
  const token = state.kind === 'present' ? state.token : undefined;
  if (!token) {
    out.secret.state = 'undated';
    out.problems.push({
      problem: `Secret ${plan.secretName} has no token jcrkit recorded (no ${EXPIRES_AT_ANNOTATION} or no entry for ${plan.registry.host}; written by ${managers.at(-1) ?? 'someone else'})`,
      fix: `${refresh} (jcrkit updates it in place and records the expiry)`,
    });
    return;
  }
  const left = token.expiresAt.getTime() - now.getTime();
  out.secret.expiresAt = token.expiresAt.toISOString();
  out.secret.timeLeftMs = left;
  if (left <= 0) {
    out.secret.state = 'expired';
    out.problems.push({ problem: `token expired ${describeSpan(left)} ago (${out.secret.expiresAt})`, fix: `${refresh} now; then check why the CronJob did not renew it (kubectl -n ${plan.refresherNamespace} describe cronjob ${refresherNameOf(plan)})` });
  } else if (left <= renewMs) {
    out.secret.state = 'expiring';
    out.problems.push({
      problem: `token expires in ${describeSpan(left)} (${out.secret.expiresAt}), within renewBefore ${describeSpan(renewMs)}: the next refresh should renew it`,
      fix: `if the CronJob is failing: ${refresh}; see kubectl -n ${plan.refresherNamespace} describe cronjob ${refresherNameOf(plan)}`,
    });
  } else {
    out.secret.state = 'fresh';
  }
}

async function cronJobStatus(kube: KubeClient, namespace: string, name: string): Promise<NonNullable<StatusReport['cronJob']>> {
  const out: NonNullable<StatusReport['cronJob']> = { namespace, name: name, found: false, problems: [] };
  try {
    const cj = await getOrUndefined<CronJob>(() => kube.request('GET', `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/cronjobs/${name}`));
    if (!cj) {
      out.problems.push({ problem: `CronJob ${namespace}/${name} not found`, fix: 'apply the rendered manifests (kubectl apply -f dist/, or sync your GitOps app)' });
      return out;
    }
    out.found = true;
    out.schedule = cj.spec?.schedule;
    out.suspended = cj.spec?.suspend === true;
    out.lastScheduleTime = cj.status?.lastScheduleTime;
    out.lastSuccessfulTime = cj.status?.lastSuccessfulTime;
    out.activeJobs = cj.status?.active?.length ?? 0;
    if (out.suspended) out.problems.push({ problem: 'the CronJob is suspended: nothing renews the token', fix: `kubectl -n ${namespace} patch cronjob ${name} -p '{"spec":{"suspend":false}}'` });
  } catch (err) {
    out.problems.push({ problem: `cannot read CronJob ${namespace}/${name}: ${(err as Error).message}`, fix: 'run as an identity that may read CronJobs there' });
    return out;
  }
  try {
    const events = await kube.list('events', namespace, { fieldSelector: `involvedObject.name=${name}` });
    const ours = events.items.filter((e: KubeEvent) => (e.source as { component?: string } | undefined)?.component === EVENT_COMPONENT || (e.involvedObject as { kind?: string } | undefined)?.kind === 'CronJob');
    const time = (e: KubeEvent) => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
    const last = ours.sort((a, b) => time(a).localeCompare(time(b))).at(-1);
    if (last) out.lastEvent = { reason: last.reason, message: last.message, time: time(last) || undefined, type: last.type };
  } catch {
    // events are a nicety
  }
  return out;
}

/** The registry host of an image reference, lower-cased ('' for Docker Hub short names). */
export function imageHost(ref: string): string {
  const first = ref.split('/')[0];
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : '';
}

export function formatStatus(r: StatusReport): string {
  const lines: string[] = [`pull Secret ${r.secretName} for ${r.registryHost} (renewBefore ${r.renewBefore}, now ${r.now})`];
  const width = Math.max(9, ...r.namespaces.map((n) => n.namespace.length));
  lines.push(`${'NAMESPACE'.padEnd(width)}  STATE     EXPIRES               TIME LEFT  WRITTEN BY                SERVICE ACCOUNTS`);
  for (const n of r.namespaces) {
    const s = n.secret;
    const by = s.refreshedBy ?? (s.managers?.length ? s.managers.at(-1)! : '-');
    const sas = n.serviceAccounts.length ? n.serviceAccounts.map((a) => `${a.name}:${a.references === true ? 'yes' : a.references === false ? 'NO' : a.references}`).join(',') : '-';
    lines.push(
      `${n.namespace.padEnd(width)}  ${s.state.padEnd(8)}  ${(s.expiresAt?.replace(/\.\d+Z$/, 'Z') ?? '-').padEnd(20)}  ${(s.timeLeftMs === undefined ? '-' : s.timeLeftMs <= 0 ? 'expired' : describeSpan(s.timeLeftMs)).padEnd(9)}  ${by.padEnd(24)}  ${sas}`,
    );
  }
  if (r.cronJob) {
    const c = r.cronJob;
    if (c.found) {
      lines.push(
        `CronJob ${c.namespace}/${c.name}: schedule "${c.schedule ?? '?'}"${c.suspended ? ' (SUSPENDED)' : ''}, last schedule ${c.lastScheduleTime ?? 'never'}, last success ${c.lastSuccessfulTime ?? 'never'}${c.activeJobs ? `, ${c.activeJobs} running` : ''}`,
      );
      if (c.lastEvent) lines.push(`  last run: ${c.lastEvent.reason ?? '?'} at ${c.lastEvent.time ?? '?'}: ${c.lastEvent.message ?? ''}`);
    } else {
      lines.push(`CronJob ${c.namespace}/${c.name}: not found`);
    }
  }
  const problems: string[] = [];
  for (const n of r.namespaces) for (const p of n.problems) problems.push(`${n.namespace}: ${p.problem}. Fix: ${p.fix}`);
  for (const p of r.cronJob?.problems ?? []) problems.push(`CronJob: ${p.problem}. Fix: ${p.fix}`);
  for (const p of r.pullFailures) problems.push(`${p.namespace}: ${p.problem}. Fix: ${p.fix}`);
  if (problems.length) {
    lines.push(`${problems.length} problem(s):`);
    for (const p of problems) lines.push(`  ${p}`);
  } else {
    lines.push(`all fresh: nothing expires within ${r.renewBefore}, no pod waits for an image from ${r.registryHost}`);
  }
  return lines.join('\n') + '\n';
}
