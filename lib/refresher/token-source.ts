/**
 * Where registry tokens come from. The refresher only needs "give me one token valid for N
 * hours" (plus, optionally, list/release for cleanup), so it is written against this interface
 * and the JD Cloud OpenAPI is one implementation (jdcloud-token-source.ts).
 */

export interface IssuedToken {
  /** base64 of user:password, as GetAuthorizationToken returns it */
  authorizationToken: string;
  /** as the API returns it (format unconfirmed: epoch s/ms or ISO text) */
  expiresAt: string;
}

export interface TokenSource {
  /** Issues one new token valid for `hours` (1–24). */
  fetch(hours: number): Promise<IssuedToken>;
  /** Every live token of the registry (DescribeAuthorizationTokens, all pages). */
  list?(): Promise<IssuedToken[]>;
  /** Revokes one token (ReleaseAuthorizationToken). */
  release?(authorizationToken: string): Promise<void>;
}
