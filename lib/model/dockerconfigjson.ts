/**
 * The `.dockerconfigjson` payload. Our entry is byte-for-byte what
 * `kubectl create secret docker-registry --docker-server=H --docker-username=U --docker-password=P
 * [--docker-email=E]` writes: {"auths":{H:{"username","password","email"?,"auth"}}} with keys in
 * that order, email omitted when empty, auth = base64("U:P"). Other registries' entries in an
 * existing Secret are kept: a refresher that rewrites the whole document wipes them.
 */

export interface DockerAuthEntry {
  username: string;
  password: string;
  email?: string;
  auth: string;
}

/** A Secret whose payload we cannot safely merge into; the message never quotes the payload. */
export class DockerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerConfigError';
  }
}

export function dockerAuthEntry(username: string, password: string, email?: string): DockerAuthEntry {
  // property order matters for byte equality with kubectl: username, password, email, auth
  const entry: DockerAuthEntry = { username, password } as DockerAuthEntry;
  if (email) entry.email = email;
  entry.auth = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  return entry;
}

/**
 * JSON as Go's encoding/json writes it (kubectl is Go): like JSON.stringify, except that it also
 * escapes <, >, & and U+2028/U+2029 as \u00XX sequences (HTML-safe escaping). Without this a
 * password containing & would differ byte-wise from kubectl's Secret.
 */
export function goJsonStringify(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** A fresh document holding only our entry, exactly as kubectl serializes it. */
export function dockerConfigJson(host: string, entry: DockerAuthEntry): string {
  return goJsonStringify({ auths: { [host]: entry } });
}

/**
 * Keys that docker and the kubelet treat as the same registry as `host`: with a scheme, a
 * trailing slash or a /v1/ /v2/ path (the runbook wrote `https://{host}`). They are ours to
 * replace; leaving them would keep a stale password next to the fresh one.
 */
export function isSameRegistryKey(key: string, host: string): boolean {
  const normalized = key
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+(v[12]\/?)?$/i, '')
    .toLowerCase();
  return normalized === host.toLowerCase();
}

export interface MergeResult {
  json: string;
  /** false when the existing document already holds exactly our entry under `host` and no alias */
  changed: boolean;
  /** how many other registries' entries were kept */
  otherEntries: number;
}

/**
 * Puts our entry into an existing `.dockerconfigjson` document (decoded text), keeping every
 * other top-level field and every other registry's entry as it is.
 */
export function mergeDockerConfigJson(existing: string | undefined, host: string, entry: DockerAuthEntry): MergeResult {
  if (existing === undefined || existing.trim() === '') return { json: dockerConfigJson(host, entry), changed: true, otherEntries: 0 };
  let doc: unknown;
  try {
    doc = JSON.parse(existing);
  } catch {
    throw new DockerConfigError('its .dockerconfigjson is not valid JSON; fix or delete the Secret (jcrkit will not overwrite data it cannot read)');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new DockerConfigError('its .dockerconfigjson is not a JSON object');
  const document = doc as Record<string, unknown>;
  const auths = document.auths ?? {};
  if (!auths || typeof auths !== 'object' || Array.isArray(auths)) throw new DockerConfigError('its .dockerconfigjson "auths" is not an object');

  const merged: Record<string, unknown> = {};
  let replacedAlias = false;
  let otherEntries = 0;
  let current: unknown;
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    if (key === host) {
      current = value;
    } else if (isSameRegistryKey(key, host)) {
      replacedAlias = true;
    } else {
      merged[key] = value;
      otherEntries++;
    }
  }
  merged[host] = entry;
  const changed = replacedAlias || !sameEntry(current, entry) || document.auths === undefined;
  return { json: goJsonStringify({ ...document, auths: merged }), changed, otherEntries };
}

function sameEntry(a: unknown, b: DockerAuthEntry): boolean {
  if (!a || typeof a !== 'object') return false;
  const x = a as Record<string, unknown>;
  const keys = Object.keys(x);
  const want = Object.keys(b) as (keyof DockerAuthEntry)[];
  return keys.length === want.length && want.every((k) => x[k] === b[k]);
}
