/**
 * Everything needed to reach one API server as one identity, independent of where it came from
 * (in-cluster files or a kubeconfig). Credentials that can rotate are functions, read per request.
 */
export interface KubeConnection {
  /** e.g. https://10.0.0.1:443 or http://127.0.0.1:PORT (tests) */
  server: string;
  /** PEM bundle to trust instead of the system roots */
  ca?: Buffer;
  /** PEM client certificate and key (x509 client auth) */
  clientCert?: Buffer;
  clientKey?: Buffer;
  insecureSkipTlsVerify?: boolean;
  /** TLS server name when the server URL is an IP the certificate does not name */
  tlsServerName?: string;
  /** Bearer token, read per request: in-cluster tokens are rotated by the kubelet. */
  bearerToken?: () => string | undefined;
  /** default namespace of this identity (in-cluster namespace file or the context's namespace) */
  namespace: string;
  /** where this came from, for messages: "in-cluster", "kubeconfig /path (context x)" */
  source: string;
}
