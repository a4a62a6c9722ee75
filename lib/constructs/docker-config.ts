/**
 * The `.dockerconfigjson` payload, byte-for-byte what `kubectl create secret docker-registry`
 * writes (kubectl's DockerConfigEntry: username, password, email omitted when empty, auth =
 * base64("user:password"), serialised by Go's encoding/json in that field order, no spaces).
 * test/constructs/pull-secret.test.ts checks this against a real kubectl.
 */
export interface DockerConfigEntry {
  username: string;
  password: string;
  email?: string;
}

export function dockerConfigEntry(e: DockerConfigEntry): Record<string, string> {
  const entry: Record<string, string> = { username: e.username, password: e.password };
  if (e.email) entry.email = e.email;
  entry.auth = Buffer.from(`${e.username}:${e.password}`).toString('base64');
  return entry;
}

export function dockerConfigJson(host: string, e: DockerConfigEntry): string {
  return JSON.stringify({ auths: { [host]: dockerConfigEntry(e) } });
}
