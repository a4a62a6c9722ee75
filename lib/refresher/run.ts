/**
 * One refresh run, expiry-aware and quota-safe:
 *
 *  1. read the pull Secret in every target namespace (GET only);
 *  2. if the freshest token jcrkit recorded (annotation jcrkit.io/expires-at) is valid for longer
 *     than renewBefore, mint nothing: copy that token where the Secret is missing or older;
 *  3. otherwise (or with `force`) mint ONE token, but only after a server-side dry run shows that
 *     at least one namespace can take it, and only write it when its expiry is known and not
 *     (nearly) past and the registry does not reject it;
 *  4. write in place, point the listed namespaces' ServiceAccounts at the Secret, optionally
 *     release superseded tokens, and record an Event.
 *
 * JCR documents at most 5 temporary tokens per registry per hour, shared by every user of the
 * registry (JD Cloud docs, Container Registry › Token › Create Token). Retries, frequent
 * schedules and new namespaces therefore cost reads, not tokens.
 *
 * Failure rules: no usable token → nothing is written, exit 1; a namespace that fails (403, a
 * missing namespace, a foreign Secret under our name) does not stop the others and the run exits
 * 1 naming it; a working Secret is never overwritten with a worse one. Transient Kubernetes
 * errors (5xx, 429 with Retry-After, dropped connections) are retried with backoff first.
 * Everything printed passes through the redactor.
 */
import { withBackoff, type BackoffOptions } from '../core/backoff';
import { describeSpan } from '../core/duration';
import { EXIT_BAD_INPUT as CORE_EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK as CORE_EXIT_OK } from '../core/errors';
import { JdcloudApiError } from '../jdcloud/errors';
import { decodeAuthorizationToken, parseExpiresAt } from '../jdcloud/token';
import type { KubeClient } from '../kube/client';
import { isKubeApiError, transientKubeError } from '../kube/errors';
import type { Secret } from '../kube/types';
import { dockerAuthEntry, type DockerAuthEntry } from '../model/dockerconfigjson';
import { refresherNameOf, type RefreshPlan } from '../model/refresh-plan';
import { mapWithConcurrency } from './concurrency';
import { recordRefreshEvent, type RefreshEventReason } from './events';
import type { RefreshLogger } from './logger';
import { secretState, upsertPullSecret, type RecordedToken, type SecretAction, type SecretState } from './pull-secret';
import type { Redactor } from '../core/redact';
import { probeRegistry, type ProbeResult } from './registry-probe';
import { ensureImagePullSecret, type ServiceAccountAction } from './service-account';
import type { IssuedToken, TokenSource } from './token-source';

export const EXIT_OK = CORE_EXIT_OK;
/** some namespaces failed (the others hold the token), or no usable token (nothing written) */
export const EXIT_FAILED_RUN = EXIT_FAILED;
export const EXIT_NAMESPACES_FAILED = EXIT_FAILED;
export const EXIT_NO_TOKEN = EXIT_FAILED;
/** the plan or environment is unusable */
export const EXIT_BAD_INPUT = CORE_EXIT_BAD_INPUT;

export const DEFAULT_CONCURRENCY = 16;
/**
 * A token valid for less than this is refused: written now, it would expire before pods that
 * start in the next minutes finish pulling, and the next run would mint again.
 */
export const MIN_TOKEN_VALIDITY_MS = 10 * 60_000;

export interface RefreshOptions {
  /** mint a new token even when a fresh one is recorded */
  force?: boolean;
}

export interface RefreshDeps {
  kube: KubeClient;
  tokens: TokenSource;
  logger: RefreshLogger;
  redactor: Redactor;
  /** namespaces refreshed at once (default 16) */
  concurrency?: number;
  now?: () => Date;
  /** registry check; default probes https://{host}/v2/ */
  probeRegistry?: (host: string, username: string, password: string) => Promise<ProbeResult>;
  /** recorded in jcrkit.io/refreshed-by; e.g. "CronJob kube-system/jcrkit-token-refresher" */
  writer?: string;
  /** the Event's source host (pod name, or the workstation) */
  instance?: string;
  /** record the run as an Event in plan.refresherNamespace (default true) */
  recordEvent?: boolean;
  /** transient-error retries of Kubernetes requests (tests: instant sleep) */
  retry?: BackoffOptions;
}

export interface NamespaceOutcome {
  namespace: string;
  secret: string;
  action?: SecretAction;
  serviceAccounts: { name: string; action: ServiceAccountAction }[];
  /** redacted */
  error?: string;
}

export interface RefreshReport {
  exitCode: number;
  expiresAt?: string;
  /** a token was minted in this run */
  minted: boolean;
  /** the namespace whose recorded token was reused (no mint) */
  reusedFrom?: string;
  namespaces: NamespaceOutcome[];
  failedNamespaces: string[];
  /** redacted; set when no token was written anywhere */
  tokenError?: string;
  releasedTokens?: number;
}

interface ChosenToken {
  entry: DockerAuthEntry;
  expiresAt: Date;
  minted: boolean;
  issued?: IssuedToken;
  reusedFrom?: string;
}

interface NamespaceRead {
  namespace: string;
  state?: SecretState;
  /** redacted read failure */
  error?: string;
}

export async function runRefresh(plan: RefreshPlan, deps: RefreshDeps, opts: RefreshOptions = {}): Promise<RefreshReport> {
  const { kube, tokens, logger, redactor } = deps;
  const now = deps.now ?? (() => new Date());
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const retry = kubeRetry(deps, logger, redactor);
  const startedAt = now();

  const event = async (reason: RefreshEventReason, message: string) => {
    if (deps.recordEvent === false) return;
    try {
      await retry(() => recordRefreshEvent(kube, { namespace: plan.refresherNamespace, cronJob: refresherNameOf(plan), reason, message, now: now(), instance: deps.instance }));
    } catch (err) {
      logger.log('warn', { msg: `cannot record the run as an Event in ${plan.refresherNamespace}: ${redactor.describe(err)}` });
    }
  };
  const noToken = async (msg: string, failed: NamespaceRead[] = []): Promise<RefreshReport> => {
    const text = redactor.scrub(msg);
    logger.log('error', { msg: text, written: 0 });
    await event('NoUsableToken', text);
    return { exitCode: EXIT_FAILED, minted: false, namespaces: [], failedNamespaces: failed.map((f) => f.namespace), tokenError: text };
  };

  // 1. read what every namespace holds
  const reads = await mapWithConcurrency(plan.namespaces, concurrency, async (namespace): Promise<NamespaceRead> => {
    try {
      let secret: Secret | undefined;
      try {
        secret = await retry(() => kube.get('secrets', namespace, plan.secretName));
      } catch (err) {
        if (!isKubeApiError(err, 'NotFound')) throw err;
      }
      const state = secretState(secret, plan.registry.host);
      // recorded passwords are credentials too: nothing printed may contain them
      if (state.kind === 'present' && state.token) redactor.addCredentials(state.token.username, state.token.password);
      return { namespace, state };
    } catch (err) {
      return { namespace, error: redactor.describe(err) };
    }
  });

  // 2. reuse the freshest recorded token while it is fresh enough
  const renewBeforeMs = plan.renewBeforeMinutes * 60_000;
  let chosen: ChosenToken | undefined;
  const freshest = freshestToken(reads);
  if (freshest && !opts.force && freshest.token.expiresAt.getTime() - startedAt.getTime() > renewBeforeMs) {
    let usable = true;
    if (plan.verifyRegistry) {
      const probe = await (deps.probeRegistry ?? ((h, u, p) => probeRegistry(h, u, p)))(plan.registry.host, freshest.token.username, freshest.token.password);
      if (probe.status === 'invalid') {
        usable = false;
        logger.log('warn', { msg: `registry ${plan.registry.host} rejects the token recorded in ${freshest.namespace} (released?); minting a new one: ${redactor.scrub(probe.detail)}` });
      }
    }
    if (usable) {
      chosen = {
        entry: dockerAuthEntry(freshest.token.username, freshest.token.password, plan.email),
        expiresAt: freshest.token.expiresAt,
        minted: false,
        reusedFrom: freshest.namespace,
      };
    }
  }

  // 3. mint, carefully
  const writable = reads.filter((r) => r.state && r.state.kind !== 'blocked');
  const preflightErrors = new Map<string, string>();
  if (!chosen) {
    if (writable.length === 0) {
      return noToken(`no namespace can take a token, so none was minted and no Secret was changed: ${describeReadFailures(reads, plan)}`, reads);
    }
    // A server-side dry run of the write (RBAC, admission, the namespace existing) before the mint:
    // a token nobody can store would be one of the hour's five, wasted. One namespace that can take
    // it is enough to mint; batches of `concurrency` stop at the first batch with a success, so a
    // healthy cluster costs one batch, not a request per namespace. Namespaces that fail here are
    // not written (they fail with the reason the dry run gave).
    const placeholder = dockerAuthEntry('jcrkit-preflight', 'jcrkit-preflight');
    let writableFound = false;
    for (let i = 0; i < writable.length && !writableFound; i += concurrency) {
      await mapWithConcurrency(writable.slice(i, i + concurrency), concurrency, async (r) => {
        try {
          await upsertPullSecret(kube, { ...writeFor(r, plan, placeholder, startedAt, startedAt, deps.writer), dryRun: true, retry });
          writableFound = true;
        } catch (err) {
          preflightErrors.set(r.namespace, redactor.describe(err));
        }
      });
    }
    if (!writableFound) {
      return noToken(
        `no namespace can take a token, so none was minted and no Secret was changed: ${[...preflightErrors].map(([ns, e]) => `${ns}: ${e}`).concat(describeReadFailuresList(reads, plan)).join('; ')}`,
        reads,
      );
    }
    const minted = await mint(plan, deps, now, opts.force ? 'forced (--force)' : freshest ? `the freshest recorded token expires in ${describeSpan(freshest.token.expiresAt.getTime() - startedAt.getTime())}, within renewBefore ${describeSpan(renewBeforeMs)}` : 'no token recorded yet');
    if ('error' in minted) return noToken(minted.error, reads);
    chosen = minted.token;
  }

  // 4. write where needed, bounded concurrency, failures collected
  const expiresAt = chosen.expiresAt.toISOString();
  const refreshedAt = now().toISOString();
  const saNamespaces = new Set(plan.serviceAccountNamespaces);
  const token = chosen;
  const outcomes = await mapWithConcurrency(reads, concurrency, async (r): Promise<NamespaceOutcome> => {
    const namespace = r.namespace;
    const outcome: NamespaceOutcome = { namespace, secret: plan.secretName, serviceAccounts: [] };
    try {
      if (r.error !== undefined) throw new Error(r.error);
      if (r.state?.kind === 'blocked') throw new Error(`Secret ${namespace}/${plan.secretName} ${r.state.reason}`);
      const pre = preflightErrors.get(namespace);
      if (pre !== undefined) throw new Error(pre);
      outcome.action = await upsertPullSecret(kube, { ...writeFor(r, plan, token.entry, new Date(refreshedAt), token.expiresAt, deps.writer), retry });
      if (saNamespaces.has(namespace)) {
        for (const sa of plan.serviceAccounts) {
          outcome.serviceAccounts.push({ name: sa, action: await ensureImagePullSecret(kube, namespace, sa, plan.secretName, { retry }) });
        }
      }
      const missing = outcome.serviceAccounts.filter((s) => s.action === 'missing').map((s) => s.name);
      logger.log(missing.length ? 'warn' : 'info', {
        namespace,
        secret: plan.secretName,
        action: outcome.action,
        serviceAccounts: outcome.serviceAccounts,
        expiresAt,
        ...(missing.length ? { msg: `ServiceAccount(s) ${missing.join(', ')} not found in ${namespace}; not created` } : {}),
      });
    } catch (err) {
      outcome.error = redactor.describe(err);
      logger.log('error', { namespace, secret: plan.secretName, action: outcome.action ?? 'failed', serviceAccounts: outcome.serviceAccounts, error: outcome.error });
    }
    return outcome;
  });

  const failed = outcomes.filter((o) => o.error !== undefined).map((o) => o.namespace);
  const report: RefreshReport = {
    exitCode: failed.length ? EXIT_FAILED : EXIT_OK,
    expiresAt,
    minted: token.minted,
    ...(token.reusedFrom ? { reusedFrom: token.reusedFrom } : {}),
    namespaces: outcomes,
    failedNamespaces: failed,
  };

  // 5. optional cleanup, only once every namespace holds the new token (else the old one is still in use)
  if (plan.releaseSupersededTokens && token.minted && token.issued && failed.length === 0) {
    report.releasedTokens = await releaseSuperseded(tokens, token.issued.authorizationToken, logger, redactor);
  }

  const count = (a: SecretAction) => outcomes.filter((o) => o.action === a && !o.error).length;
  const summary = { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), failed: failed.length, minted: token.minted, expiresAt };
  const how = token.minted ? 'minted a new token' : `reused the token recorded in ${token.reusedFrom} (no mint)`;
  if (failed.length) {
    const msg = `refresh failed in ${failed.length} of ${outcomes.length} namespaces: ${failed.join(', ')}`;
    logger.log('error', { msg, failedNamespaces: failed, ...summary });
    const reasons = outcomes.filter((o) => o.error).map((o) => `${o.namespace}: ${o.error}`).join('; ');
    await event('RefreshFailed', `${msg}; ${how}, expires ${expiresAt}. ${reasons}`);
  } else {
    logger.log('info', { msg: `refreshed ${outcomes.length} namespaces (${how})`, ...summary, ...(report.releasedTokens !== undefined ? { releasedTokens: report.releasedTokens } : {}) });
    await event(
      token.minted ? 'TokenRenewed' : 'TokenFresh',
      `pull Secret ${plan.secretName} valid until ${expiresAt} in ${outcomes.length} namespaces (${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged); ${how}`,
    );
  }
  return report;
}

/** The retry wrapper for Kubernetes requests: transient errors only, a warning per retry. */
function kubeRetry(deps: RefreshDeps, logger: RefreshLogger, redactor: Redactor): <T>(fn: () => Promise<T>) => Promise<T> {
  return (fn) =>
    withBackoff(() => fn(), transientKubeError, {
      attempts: 4,
      baseMs: 250,
      maxMs: 4_000,
      ...deps.retry,
      onRetry: (err, n, delay) => logger.log('warn', { msg: `${redactor.describe(err)}; retry ${n}/3 in ${delay} ms` }),
    });
}

function writeFor(r: NamespaceRead, plan: RefreshPlan, entry: DockerAuthEntry, refreshedAt: Date, expiresAt: Date, writer: string | undefined) {
  const current = r.state?.kind === 'present' ? r.state.secret : r.state?.kind === 'missing' ? null : undefined;
  return {
    namespace: r.namespace,
    name: plan.secretName,
    host: plan.registry.host,
    entry,
    refreshedAt: refreshedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    refreshedBy: writer,
    current,
  };
}

function freshestToken(reads: NamespaceRead[]): { namespace: string; token: RecordedToken } | undefined {
  let best: { namespace: string; token: RecordedToken } | undefined;
  for (const r of reads) {
    const token = r.state?.kind === 'present' ? r.state.token : undefined;
    if (token && (!best || token.expiresAt.getTime() > best.token.expiresAt.getTime())) best = { namespace: r.namespace, token };
  }
  return best;
}

function describeReadFailuresList(reads: NamespaceRead[], plan: RefreshPlan): string[] {
  return reads.flatMap((r) =>
    r.error !== undefined ? [`${r.namespace}: ${r.error}`] : r.state?.kind === 'blocked' ? [`${r.namespace}: Secret ${plan.secretName} ${r.state.reason}`] : [],
  );
}

function describeReadFailures(reads: NamespaceRead[], plan: RefreshPlan): string {
  return describeReadFailuresList(reads, plan).join('; ');
}

/** GetAuthorizationToken, then every check a token must pass before it may be written. */
async function mint(plan: RefreshPlan, deps: RefreshDeps, now: () => Date, why: string): Promise<{ token: ChosenToken } | { error: string }> {
  const { tokens, logger, redactor } = deps;
  logger.log('info', { msg: `minting a registry token (${why})` });
  let issued: IssuedToken;
  try {
    issued = await tokens.fetch(plan.tokenHours);
  } catch (err) {
    if (err instanceof JdcloudApiError && err.status === 'QUOTA_EXCEEDED') {
      const when =
        err.retryAfterSeconds !== undefined
          ? `it frees up in about ${describeSpan(err.retryAfterSeconds * 1000)} (at ${new Date(now().getTime() + err.retryAfterSeconds * 1000).toISOString()})`
          : 'JD Cloud did not say when it frees up: within an hour of the oldest of the last tokens anyone minted for this registry';
      return {
        error:
          `the hourly token quota of registry ${plan.registry.name} (${plan.registry.region}) is used up (JD Cloud: ${redactor.describe(err)}); ${when}. ` +
          'Nothing was changed: the existing pull Secrets keep working until they expire. Not retried: every retry would count against the quota. ' +
          'Fix: wait, and check what else mints tokens for this registry (CI, other clusters, people)',
      };
    }
    return { error: `cannot get a registry token; no Secret was changed: ${redactor.describe(err)}` };
  }
  redactor.add(issued.authorizationToken);
  let username: string;
  let password: string;
  try {
    ({ username, password } = decodeAuthorizationToken(issued.authorizationToken));
  } catch (err) {
    return { error: `the registry token is unusable; no Secret was changed: ${redactor.describe(err)}` };
  }
  redactor.addCredentials(username, password);

  const expiresAt = parseExpiresAt(issued.expiresAt);
  const at = now();
  if (!expiresAt) {
    return { error: `JD Cloud answered a token whose expiresAt ${JSON.stringify(redactor.scrub(String(issued.expiresAt)))} is not a time jcrkit can read; refused, no Secret was changed. Fix: report it; the existing Secrets keep working until they expire` };
  }
  const left = expiresAt.getTime() - at.getTime();
  if (left < MIN_TOKEN_VALIDITY_MS) {
    return {
      error:
        `JD Cloud answered a token that ${left <= 0 ? `expired ${describeSpan(left)} ago` : `expires in ${describeSpan(left)}`} (expiresAt ${expiresAt.toISOString()}, now ${at.toISOString()}); ` +
        `refused, no Secret was changed. Fix: check this machine's clock and refresher.tokenHours; the existing Secrets keep working until they expire`,
    };
  }
  if (left <= plan.renewBeforeMinutes * 60_000) {
    logger.log('warn', {
      msg: `the new token is valid for ${describeSpan(left)}, not longer than renewBefore (${describeSpan(plan.renewBeforeMinutes * 60_000)}), although ${plan.tokenHours} h were asked for: the next run will mint again. Fix: lower refresher.renewBefore`,
    });
  }

  if (plan.verifyRegistry) {
    const probe = await (deps.probeRegistry ?? ((h, u, p) => probeRegistry(h, u, p)))(plan.registry.host, username, password);
    if (probe.status === 'invalid') {
      return { error: `registry ${plan.registry.host} rejects the new token; no Secret was changed: ${redactor.scrub(probe.detail)}` };
    }
    if (probe.status === 'unreachable') {
      logger.log('warn', { msg: `cannot verify the token against ${plan.registry.host} (continuing): ${redactor.scrub(probe.detail)}` });
    }
  }
  return { token: { entry: dockerAuthEntry(username, password, plan.email), expiresAt, minted: true, issued } };
}

/** Releases every live token but `keep`; failures are warnings (the Secrets are already good). */
async function releaseSuperseded(tokens: TokenSource, keep: string, logger: RefreshLogger, redactor: Redactor): Promise<number> {
  if (!tokens.list || !tokens.release) {
    logger.log('warn', { msg: 'releaseSupersededTokens is set but this token source cannot list or release tokens' });
    return 0;
  }
  let released = 0;
  try {
    const live = await tokens.list();
    for (const t of live) {
      if (t.authorizationToken === keep) continue;
      redactor.add(t.authorizationToken);
      try {
        const c = decodeAuthorizationToken(t.authorizationToken);
        redactor.addCredentials(c.username, c.password);
      } catch {
        // undecodable tokens are still released; their raw form is already redacted
      }
      try {
        await tokens.release(t.authorizationToken);
        released++;
      } catch (err) {
        logger.log('warn', { msg: `cannot release a superseded token (expires ${t.expiresAt}): ${redactor.describe(err)}` });
      }
    }
  } catch (err) {
    logger.log('warn', { msg: `cannot list the registry's tokens to release superseded ones: ${redactor.describe(err)}` });
  }
  return released;
}
