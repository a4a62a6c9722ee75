/**
 * The JD Cloud client the cloud commands share: credentials from JDCLOUD_ACCESS_KEY /
 * JDCLOUD_SECRET_KEY, every service sent to `--endpoint` or JDCLOUD_ENDPOINT when given
 * (a private endpoint, or the fake server in tests).
 */
import { ProxyAgents } from '../core/proxy-agents';
import { ProxyConfigError, ProxyResolver, proxySettingsFromEnv } from '../core/proxy';
import { ACCESS_KEY_ENV, JdcloudCredentials, SECRET_KEY_ENV } from '../jdcloud/credentials';
import { JdcloudClient, JdcloudClientOptions } from '../jdcloud/client';
import { endpointOverrideFrom } from '../jdcloud/endpoints';
import { createNodeHttpTransport, type Transport } from '../jdcloud/transport';
import { CloudInputError } from './errors';

/** Both variables, or one line naming both and which are missing. */
export function cloudCredentials(env: NodeJS.ProcessEnv): JdcloudCredentials {
  const accessKey = env[ACCESS_KEY_ENV]?.trim() ?? '';
  const secretKey = env[SECRET_KEY_ENV]?.trim() ?? '';
  const missing = [accessKey ? '' : ACCESS_KEY_ENV, secretKey ? '' : SECRET_KEY_ENV].filter(Boolean);
  if (missing.length) {
    throw new CloudInputError(
      `JD Cloud credentials missing: set ${ACCESS_KEY_ENV} and ${SECRET_KEY_ENV} (not set: ${missing.join(', ')}). Fix: export the AccessKey pair from https://uc.jdcloud.com/accesskey/index`,
    );
  }
  return { accessKey, secretKey };
}

export interface CloudClientOptions {
  env: NodeJS.ProcessEnv;
  /** `--endpoint`; falls back to JDCLOUD_ENDPOINT */
  endpoint?: string;
  /** extra client options (tests: instant sleeps) */
  client?: Partial<JdcloudClientOptions>;
  /** `--proxy URL`: instead of HTTP_PROXY / HTTPS_PROXY (NO_PROXY still applies) */
  proxy?: string;
}

export function cloudClient(opts: CloudClientOptions): { client: JdcloudClient; credentials: JdcloudCredentials } {
  const credentials = cloudCredentials(opts.env);
  const transport = opts.client?.transport ?? (opts.client?.fetchImpl ? undefined : proxiedTransport(opts.env, opts.proxy));
  const client = new JdcloudClient({ ...opts.client, ...(transport ? { transport } : {}), ...credentials, endpoint: endpointOverrideFrom(opts.endpoint, opts.env) });
  return { client, credentials };
}

/** Proxy settings from the environment and `--proxy`; a bad value is bad input (exit 2), named. */
export function proxyResolver(env: NodeJS.ProcessEnv, override?: string): ProxyResolver {
  try {
    return new ProxyResolver(proxySettingsFromEnv(env, override));
  } catch (err) {
    if (err instanceof ProxyConfigError) throw new CloudInputError(override ? err.message.replace(/^HTTPS?_PROXY/, '--proxy') : err.message);
    throw err;
  }
}

/**
 * The OpenAPI transport through HTTPS_PROXY (JD Cloud's endpoints are https), or undefined when
 * no proxy is set, so the client keeps its default. A few calls per command: no keep-alive, so
 * nothing holds the process open afterwards.
 */
export function proxiedTransport(env: NodeJS.ProcessEnv, override?: string): Transport | undefined {
  const resolver = proxyResolver(env, override);
  if (resolver.direct) return undefined;
  const agents = new ProxyAgents(resolver, { keepAlive: false });
  return createNodeHttpTransport({ agentFor: (url) => agents.agentFor(url) });
}
