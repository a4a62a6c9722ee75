/**
 * Where cloud commands and the refresher get the AK/SK: `JDCLOUD_ACCESS_KEY` and
 * `JDCLOUD_SECRET_KEY`, the same two variables for every command (the names JD Cloud's own
 * token CronJob example uses). Values are never echoed in errors.
 */
import { JdcloudValidationError } from './errors';

export const ACCESS_KEY_ENV = 'JDCLOUD_ACCESS_KEY';
export const SECRET_KEY_ENV = 'JDCLOUD_SECRET_KEY';

export interface JdcloudCredentials {
  accessKey: string;
  secretKey: string;
}

/** Read and trim both variables; throws one message naming every missing one. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): JdcloudCredentials {
  const accessKey = env[ACCESS_KEY_ENV]?.trim() ?? '';
  const secretKey = env[SECRET_KEY_ENV]?.trim() ?? '';
  const missing = [accessKey ? undefined : ACCESS_KEY_ENV, secretKey ? undefined : SECRET_KEY_ENV].filter(Boolean);
  if (missing.length) {
    throw new JdcloudValidationError(missing.join(', '), 'not set: export the AccessKey pair from https://uc.jdcloud.com/accesskey/index');
  }
  return { accessKey, secretKey };
}
