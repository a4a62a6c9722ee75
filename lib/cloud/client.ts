/**
 * The JD Cloud client the cloud commands share: credentials from JDCLOUD_ACCESS_KEY /
 * JDCLOUD_SECRET_KEY, every service sent to `--endpoint` or JDCLOUD_ENDPOINT when given
 * (a private endpoint, or the fake server in tests).
 */
import { ACCESS_KEY_ENV, JdcloudCredentials, SECRET_KEY_ENV } from '../jdcloud/credentials';
import { JdcloudClient, JdcloudClientOptions } from '../jdcloud/client';
import { endpointOverrideFrom } from '../jdcloud/endpoints';
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
}

export function cloudClient(opts: CloudClientOptions): { client: JdcloudClient; credentials: JdcloudCredentials } {
  const credentials = cloudCredentials(opts.env);
  const client = new JdcloudClient({ ...opts.client, ...credentials, endpoint: endpointOverrideFrom(opts.endpoint, opts.env) });
  return { client, credentials };
}
