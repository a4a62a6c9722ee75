/**
 * `jcrkit login-token`: a short-lived token for the UI's login account, straight from the
 * Kubernetes API (TokenRequest), with the kubeconfig identity — `kubectl create token` without
 * kubectl. The account comes from the config (admin.serviceAccount in admin.namespace), so the
 * same --config that rendered the stack names it.
 */
import type { ResolvedConfig } from '../config';
import { isKubeApiError, type KubeClient } from '../kube';
import { MIN_TOKEN_SECONDS, requestServiceAccountToken } from '../kube/token-request';
import { CloudInputError, CloudStateError } from './errors';

export interface LoginTokenResult {
  namespace: string;
  serviceAccount: string;
  clusterRole: string;
  /** The bearer token: the command's output, never logged. */
  token: string;
  expirationTimestamp: string;
}

/** Longest lifetime accepted locally: the API's field is an int64 of seconds, but 2^32 s is its validated maximum. */
const MAX_TOKEN_SECONDS = 2 ** 32;

/**
 * `--duration` as kubectl takes it: a Go-style duration (90m, 1h, 1h30m, 3600s), or bare seconds.
 * At least 10 minutes, the API server's minimum.
 */
export function parseTokenDuration(text: string): number {
  const t = text.trim();
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  const seconds = /^\d+$/.test(t) ? Number(t) : m && t !== '' ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
  if (!Number.isFinite(seconds)) throw new CloudInputError(`--duration ${text}: not a duration. Fix: write e.g. 1h, 30m, 1h30m or 3600 (seconds)`);
  if (seconds < MIN_TOKEN_SECONDS) throw new CloudInputError(`--duration ${text}: the Kubernetes API issues tokens for at least 10 minutes. Fix: use --duration 10m or more`);
  if (seconds > MAX_TOKEN_SECONDS) throw new CloudInputError(`--duration ${text}: too long for a TokenRequest. Fix: use a shorter --duration (the point is a token that expires)`);
  return seconds;
}

/** Names the account before any request; a config without one is bad input (exit 2). */
export function loginAccount(config: ResolvedConfig): { namespace: string; serviceAccount: string; clusterRole: string } {
  if (!config.admin.enabled) {
    throw new CloudInputError('admin.enabled is false in the config, so no login account is rendered to issue a token for. Fix: pass the --config the stack was rendered from, or set admin.enabled: true and apply it');
  }
  return { namespace: config.admin.namespace, serviceAccount: config.admin.serviceAccount, clusterRole: config.admin.clusterRole };
}

export async function issueLoginToken(config: ResolvedConfig, kube: KubeClient, opts: { expirationSeconds: number }): Promise<LoginTokenResult> {
  const account = loginAccount(config);
  const { namespace, serviceAccount } = account;
  try {
    const issued = await requestServiceAccountToken(kube, namespace, serviceAccount, { expirationSeconds: opts.expirationSeconds });
    return { ...account, ...issued };
  } catch (err) {
    if (isKubeApiError(err, 'NotFound')) {
      throw new CloudStateError(
        `ServiceAccount ${namespace}/${serviceAccount} does not exist in the cluster of ${kube.connection.source}. Fix: apply the rendered manifests first (kubectl apply -f dist/, or jcrkit up), or pass the --config they were rendered from`,
      );
    }
    if (isKubeApiError(err, 'Forbidden')) {
      throw new CloudStateError(
        `${kube.connection.source} may not create tokens for ${namespace}/${serviceAccount} (${err.serverMessage}). Fix: use a kubeconfig or --context whose identity may create serviceaccounts/token in ${namespace}`,
      );
    }
    throw err;
  }
}
