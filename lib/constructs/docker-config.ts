/**
 * The `.dockerconfigjson` payload of a rendered pull Secret: the refresher's own writer
 * (lib/refresher/docker-config.ts), so a rendered bootstrap Secret and a refreshed one are
 * byte-for-byte what `kubectl create secret docker-registry` produces (checked against kubectl in
 * test/constructs/pull-secret.test.ts and test/refresher/docker-config.test.ts).
 */
import { dockerAuthEntry, dockerConfigJson as refresherDockerConfigJson } from '../refresher/docker-config';

export interface DockerConfigEntry {
  username: string;
  password: string;
  email?: string;
}

export function dockerConfigJson(host: string, e: DockerConfigEntry): string {
  return refresherDockerConfigJson(host, dockerAuthEntry(e.username, e.password, e.email));
}
