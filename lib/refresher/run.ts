/**
 * One refresh run: fetch ONE token for all namespaces, prove it, write it everywhere in place,
 * point the ServiceAccounts at it, optionally clean up superseded tokens.
 *
 * Failure rules, so a failed run never leaves things worse than before: no token or a token the
 * registry rejects → nothing is written; a namespace that fails (403, conflicts, a foreign Secret
 * under our name) does not stop the others, and the run names every failed namespace. Both are
 * operation failures, exit code 1 (lib/core/errors.ts); the log says which one and whether
 * anything was written. Everything printed passes through the redactor.
 */
import { EXIT_FAILED, EXIT_OK } from '../core/errors';
import type { KubeClient } from '../kube/client';
import { decodeAuthorizationToken, parseExpiresAt } from '../jdcloud/token';
import { mapWithConcurrency } from './concurrency';
import { dockerAuthEntry } from '../model/dockerconfigjson';
import type { RefreshLogger } from './logger';
import type { RefreshPlan } from '../model/refresh-plan';
import { upsertPullSecret, type SecretAction } from './pull-secret';
import type { Redactor } from '../core/redact';
import { probeRegistry, type ProbeResult } from './registry-probe';
import { ensureImagePullSecret, type ServiceAccountAction } from './service-account';
import type { IssuedToken, TokenSource } from './token-source';

export { EXIT_BAD_INPUT, EXIT_OK } from '../core/errors';
/** some namespaces failed; the others hold the new token */
export const EXIT_NAMESPACES_FAILED = EXIT_FAILED;
/**
 * No usable token: nothing was written. The same code as a partial failure on purpose: a Job
 * fails either way, and the log line (`written: 0`) says which it was.
 */
export const EXIT_NO_TOKEN = EXIT_FAILED;

export const DEFAULT_CONCURRENCY = 16;

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
  namespaces: NamespaceOutcome[];
  failedNamespaces: string[];
  /** redacted; set when no token was written anywhere */
  tokenError?: string;
  releasedTokens?: number;
}

export async function runRefresh(plan: RefreshPlan, deps: RefreshDeps): Promise<RefreshReport> {
  const { kube, tokens, logger, redactor } = deps;
  const now = deps.now ?? (() => new Date());
  const fail = (msg: string, extra: Record<string, unknown> = {}): RefreshReport => {
    logger.log('error', { msg, ...extra, written: 0 });
    return { exitCode: EXIT_NO_TOKEN, namespaces: [], failedNamespaces: [], tokenError: redactor.scrub(msg) };
  };

  // 1. one token for every namespace (a token per namespace burns JCR's 5-tokens-per-hour quota)
  let issued: IssuedToken;
  try {
    issued = await tokens.fetch(plan.tokenHours);
  } catch (err) {
    return fail(`cannot get a registry token; no Secret was changed: ${redactor.describe(err)}`);
  }
  redactor.add(issued.authorizationToken);
  let username: string;
  let password: string;
  try {
    ({ username, password } = decodeAuthorizationToken(issued.authorizationToken));
  } catch (err) {
    return fail(`the registry token is unusable; no Secret was changed: ${redactor.describe(err)}`);
  }
  redactor.addCredentials(username, password);
  const fetchedAt = now();
  const expiresAt = (parseExpiresAt(issued.expiresAt) ?? new Date(fetchedAt.getTime() + plan.tokenHours * 3600_000)).toISOString();

  // 2. prove it before spreading it
  if (plan.verifyRegistry) {
    const probe = await (deps.probeRegistry ?? ((h, u, p) => probeRegistry(h, u, p)))(plan.registry.host, username, password);
    if (probe.status === 'invalid') {
      return fail(`registry ${plan.registry.host} rejects the new token; no Secret was changed: ${redactor.scrub(probe.detail)}`);
    }
    if (probe.status === 'unreachable') {
      logger.log('warn', { msg: `cannot verify the token against ${plan.registry.host} (continuing): ${redactor.scrub(probe.detail)}` });
    }
  }

  // 3. every namespace, bounded concurrency, failures collected
  const entry = dockerAuthEntry(username, password, plan.email);
  const refreshedAt = fetchedAt.toISOString();
  const outcomes = await mapWithConcurrency(plan.namespaces, deps.concurrency ?? DEFAULT_CONCURRENCY, async (namespace): Promise<NamespaceOutcome> => {
    const outcome: NamespaceOutcome = { namespace, secret: plan.secretName, serviceAccounts: [] };
    try {
      outcome.action = await upsertPullSecret(kube, { namespace, name: plan.secretName, host: plan.registry.host, entry, refreshedAt, expiresAt });
      for (const sa of plan.serviceAccounts) {
        outcome.serviceAccounts.push({ name: sa, action: await ensureImagePullSecret(kube, namespace, sa, plan.secretName) });
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
  const report: RefreshReport = { exitCode: failed.length ? EXIT_NAMESPACES_FAILED : EXIT_OK, expiresAt, namespaces: outcomes, failedNamespaces: failed };

  // 4. optional cleanup, only once every namespace holds the new token (else the old one is still in use)
  if (plan.releaseSupersededTokens && failed.length === 0) {
    report.releasedTokens = await releaseSuperseded(tokens, issued.authorizationToken, logger, redactor);
  }

  const count = (a: SecretAction) => outcomes.filter((o) => o.action === a && !o.error).length;
  const summary = { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), failed: failed.length, expiresAt };
  if (failed.length) {
    logger.log('error', { msg: `refresh failed in ${failed.length} of ${outcomes.length} namespaces: ${failed.join(', ')}`, failedNamespaces: failed, ...summary });
  } else {
    logger.log('info', { msg: `refreshed ${outcomes.length} namespaces`, ...summary, ...(report.releasedTokens !== undefined ? { releasedTokens: report.releasedTokens } : {}) });
  }
  return report;
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
