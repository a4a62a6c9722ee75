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
  return goJsonStringify({ auths: { [host]: dockerConfigEntry(e) } });
}

/**
 * JSON.stringify with Go encoding/json's HTML-safe escaping, which kubectl's output has: '<', '>'
 * and '&' become \u003c, \u003e, \u0026, and U+2028/U+2029 are escaped. The kubectl oracle test
 * found this difference on a password containing '<&>'.
 */
export function goJsonStringify(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
