/**
 * The TokenRequest API (authentication.k8s.io/v1, the `token` subresource of a ServiceAccount):
 * what `kubectl create token` calls. The API server signs a token for the ServiceAccount that
 * expires after the requested lifetime (the server may shorten it, e.g. to its
 * --service-account-max-token-expiration) and stores nothing, so there is no Secret to leak or to
 * clean up. https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 */
import type { KubeClient } from './client';

/** The API server rejects shorter lifetimes ("may not specify a duration less than 10 minutes"). */
export const MIN_TOKEN_SECONDS = 600;

export interface TokenRequestOptions {
  /** Requested lifetime in seconds (at least MIN_TOKEN_SECONDS). */
  expirationSeconds: number;
  /** Audiences; @default the API server's own */
  audiences?: string[];
}

export interface IssuedToken {
  /** The bearer token. A credential: never log it. */
  token: string;
  /** When the server says it expires (RFC 3339). */
  expirationTimestamp: string;
}

interface TokenRequest {
  apiVersion: 'authentication.k8s.io/v1';
  kind: 'TokenRequest';
  spec: { audiences?: string[]; expirationSeconds: number };
  status?: { token?: string; expirationTimestamp?: string };
}

/** POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token. */
export async function requestServiceAccountToken(kube: KubeClient, namespace: string, name: string, opts: TokenRequestOptions): Promise<IssuedToken> {
  const body: TokenRequest = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: opts.expirationSeconds } };
  if (opts.audiences && opts.audiences.length > 0) body.spec.audiences = [...opts.audiences];
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`;
  const answer = await kube.request<TokenRequest>('POST', path, { body });
  const token = answer.status?.token;
  if (!token) throw new Error(`POST ${path}: the server answered without status.token`);
  return { token, expirationTimestamp: answer.status?.expirationTimestamp ?? '' };
}
