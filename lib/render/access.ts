/**
 * How to reach the rendered UI and log in, as text for people: printed after every render (a
 * note of `jcrkit synth`, `cdk8s synth` and the KRM function) and at the end of `jcrkit up`.
 * Computed from the resolved config alone, so it is the same whether or not anything was applied.
 */
import type { ResolvedConfig } from '../config';

export interface AccessInstructions {
  /** Where the UI answers and how to find its address. */
  reach: string[];
  /** How to get a token for the login account. */
  login: string[];
}

export interface AccessOptions {
  /** Config flags to repeat in the commands shown, e.g. `--config my.yaml`. */
  configArgs?: string;
}

export function accessInstructions(config: ResolvedConfig, opts: AccessOptions = {}): AccessInstructions | undefined {
  const d = config.dashboard;
  if (!d.enabled && !config.admin.enabled) return undefined;
  const { namespace: ns } = d;
  const { name, type, port, nodePort } = d.service;
  const headlamp = d.preset === 'headlamp';
  const Ui = headlamp ? 'Headlamp' : 'The Dashboard';
  const scheme = d.scheme;
  const defaultPort = scheme === 'https' ? 443 : 80;
  const hostPort = (host: string, p: number | string) => `${scheme}://${host}${p === defaultPort ? '' : `:${p}`}/`;

  const reach: string[] = [];
  if (!d.enabled) {
    // only the login account is rendered (for a UI deployed some other way)
  } else if (type === 'LoadBalancer') {
    const kind = d.service.public ? 'a public' : 'an internal';
    reach.push(`${Ui} is behind ${kind} JD Cloud load balancer, Service ${ns}/${name}: ${hostPort('<EXTERNAL-IP>', port)}`);
    reach.push(`  kubectl -n ${ns} get service ${name} -o jsonpath='{.status.loadBalancer.ingress[0].ip}'   # the address, once JD Cloud has assigned it`);
    if (!d.service.public) reach.push('  (an internal load balancer answers inside the VPC only: from a host there, or through a VPN or bastion)');
  } else if (type === 'NodePort') {
    reach.push(`${Ui} answers on every node's port ${nodePort ?? `<node port: kubectl -n ${ns} get service ${name}>`}: ${hostPort('<NODE-IP>', nodePort ?? '<node-port>')}`);
  } else {
    const local = scheme === 'https' ? 8443 : 8080;
    reach.push(`${Ui} has no external address (Service ${ns}/${name} is ClusterIP). Forward a local port, then open ${scheme}://localhost:${local}/:`);
    reach.push(`  kubectl -n ${ns} port-forward service/${name} ${local}:${port}`);
  }
  if (!d.enabled) {
    // nothing to say about the UI
  } else if (headlamp) {
    const tls = d.headlamp.tlsSecret;
    if (tls) reach.push(`Headlamp serves HTTPS with the certificate in Secret ${ns}/${tls}; create it before the pod starts: kubectl -n ${ns} create secret tls ${tls} --cert=tls.crt --key=tls.key`);
    else if (d.service.jdcloudLoadBalancer?.certificateId) reach.push(`The load balancer terminates HTTPS with certificate ${d.service.jdcloudLoadBalancer.certificateId}; behind it Headlamp speaks plain HTTP on port 4466.`);
    else reach.push('Headlamp serves plain HTTP on port 4466: tokens travel unencrypted between the browser and the pod. Set dashboard.headlamp.tlsSecret or jdcloudLoadBalancer.certificateId for HTTPS.');
    if (d.headlamp.oidcSecret) {
      reach.push(
        `OIDC sign-in reads Secret ${ns}/${d.headlamp.oidcSecret}: kubectl -n ${ns} create secret generic ${d.headlamp.oidcSecret} --from-literal=OIDC_CLIENT_ID=... --from-literal=OIDC_CLIENT_SECRET=... --from-literal=OIDC_ISSUER_URL=... ` +
          '(callback URL: <Headlamp URL>/oidc-callback; the API server must trust the same issuer).',
      );
    }
  } else {
    reach.push('The Dashboard serves HTTPS with a self-signed certificate (--auto-generate-certificates), so the browser asks once; token login needs HTTPS.');
    reach.push('The Kubernetes Dashboard is archived upstream (January 2026) and gets no more fixes; dashboard.preset: headlamp is its successor.');
  }

  const login: string[] = [];
  const a = config.admin;
  if (a.enabled) {
    const args = opts.configArgs ? ` ${opts.configArgs}` : '';
    login.push(`Log in as ${a.namespace}/${a.serviceAccount} (bound to ${a.clusterRole}) with a short-lived token from the TokenRequest API:`);
    login.push(`  jcrkit login-token${args} --duration 1h`);
    login.push(`  kubectl -n ${a.namespace} create token ${a.serviceAccount} --duration=1h   # the same with kubectl >= 1.24`);
    if (a.tokenSecret) {
      login.push(`or with the non-expiring token (admin.tokenSecret: true), filled in by Kubernetes once applied:`);
      login.push(`  kubectl -n ${a.namespace} get secret ${a.serviceAccount}-token -o jsonpath='{.data.token}' | base64 -d`);
    }
  } else {
    login.push(`Log in with a token of your own (admin.enabled is false, so no login account is rendered)${headlamp && d.headlamp.oidcSecret ? ', or sign in with OIDC' : ''}.`);
  }
  return { reach, login };
}

/** The instructions as one note. */
export function accessNote(config: ResolvedConfig, opts: AccessOptions = {}): string | undefined {
  const a = accessInstructions(config, opts);
  return a && [...a.reach, ...a.login].join('\n');
}
