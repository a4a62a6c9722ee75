/** The JD Cloud option group: where the OpenAPI is. Credentials come from the environment only, never a flag. */
import type { Argv } from 'yargs';

export interface CloudArgs {
  endpoint?: string;
  /** `--proxy URL`: instead of HTTPS_PROXY / HTTP_PROXY (NO_PROXY still applies) */
  proxy?: string;
}

export function withCloudOptions<T>(y: Argv<T>): Argv<T & CloudArgs> {
  return y
    .option('endpoint', {
      type: 'string',
      describe: 'JD Cloud API base URL for every service (env JDCLOUD_ENDPOINT); default https://{service}.jdcloud-api.com. Credentials: env JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY',
      group: 'JD Cloud:',
    })
    .option('proxy', {
      type: 'string',
      describe: 'HTTP(S) proxy URL for every connection, instead of HTTPS_PROXY/HTTP_PROXY (NO_PROXY still applies)',
      group: 'JD Cloud:',
    }) as unknown as Argv<T & CloudArgs>;
}
