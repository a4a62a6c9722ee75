/**
 * The pull Secret in one namespace: reading what jcrkit recorded on it, and create-or-update in
 * place: PUT with the read resourceVersion (409 Conflict → re-read and retry), 404 → POST (409
 * AlreadyExists → someone created it meanwhile → re-read and update). Never DELETE: a
 * delete-then-create leaves pods starting in the gap without credentials, and no Secret at all
 * if the create then fails.
 *
 * Every write names the field manager `jcrkit-refresher` (recorded in metadata.managedFields),
 * so a GitOps engine can ignore exactly the fields the refresher owns — e.g. Argo CD's
 * `ignoreDifferences: [{kind: Secret, managedFieldsManagers: [jcrkit-refresher]}]`
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/).
 *
 * RBAC this needs: secrets get, update (resourceNames: [the Secret]) and create.
 */
import type { KubeClient } from '../kube/client';
import { isKubeApiError } from '../kube/errors';
import type { Secret } from '../kube/types';
import { parseExpiresAt } from '../jdcloud/token';
import { DockerConfigError, isSameRegistryKey, mergeDockerConfigJson, type DockerAuthEntry } from '../model/dockerconfigjson';

export const DOCKERCONFIGJSON_TYPE = 'kubernetes.io/dockerconfigjson';
export const DOCKERCONFIGJSON_KEY = '.dockerconfigjson';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'jcrkit';
export const REFRESHED_AT_ANNOTATION = 'jcrkit.io/refreshed-at';
/** The token's expiry as jcrkit recorded it (ISO 8601): the contract every run decides by. */
export const EXPIRES_AT_ANNOTATION = 'jcrkit.io/expires-at';
/** Who wrote the token: the in-cluster CronJob or `jcrkit refresh` from a workstation. */
export const REFRESHED_BY_ANNOTATION = 'jcrkit.io/refreshed-by';
/** The field manager of every refresher write (Secrets, ServiceAccounts, Events). */
export const FIELD_MANAGER = 'jcrkit-refresher';

export type SecretAction = 'created' | 'updated' | 'unchanged';

/** A token as found on a Secret jcrkit wrote. */
export interface RecordedToken {
  username: string;
  password: string;
  expiresAt: Date;
}

/** What one namespace's pull Secret looks like at the start of a run. */
export type SecretState =
  | { kind: 'missing' }
  /** ours to write; `token` when jcrkit recorded a usable one on it */
  | { kind: 'present'; secret: Secret; token?: RecordedToken }
  /** exists but jcrkit will not write it (wrong type, immutable, unreadable payload) */
  | { kind: 'blocked'; secret: Secret; reason: string };

/** Classifies a read Secret (undefined = 404). Never throws; never puts secret data into a reason. */
export function secretState(secret: Secret | undefined, host: string): SecretState {
  if (!secret) return { kind: 'missing' };
  const type = secret.type ?? 'Opaque';
  if (type !== DOCKERCONFIGJSON_TYPE) {
    return { kind: 'blocked', secret, reason: `exists with type ${type}, not ${DOCKERCONFIGJSON_TYPE}; rename pullSecret.name or delete that Secret` };
  }
  if (secret.immutable) return { kind: 'blocked', secret, reason: 'is immutable; jcrkit cannot refresh it in place — delete it once so jcrkit can recreate it' };
  const raw = secret.data?.[DOCKERCONFIGJSON_KEY];
  let auths: Record<string, unknown> = {};
  if (raw !== undefined) {
    try {
      const doc = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { auths?: unknown };
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
      if (doc.auths && typeof doc.auths === 'object' && !Array.isArray(doc.auths)) auths = doc.auths as Record<string, unknown>;
    } catch {
      return { kind: 'blocked', secret, reason: 'its .dockerconfigjson is not valid JSON; fix or delete the Secret (jcrkit will not overwrite data it cannot read)' };
    }
  }
  // Only a token jcrkit wrote and dated counts: an entry someone else put there has no known expiry.
  const ours = secret.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
  const expiresAt = parseExpiresAt(secret.metadata?.annotations?.[EXPIRES_AT_ANNOTATION]);
  const entry = (auths[host] ?? Object.entries(auths).find(([k]) => isSameRegistryKey(k, host))?.[1]) as Record<string, unknown> | undefined;
  if (ours && expiresAt && entry && typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username && entry.password) {
    return { kind: 'present', secret, token: { username: entry.username, password: entry.password, expiresAt } };
  }
  return { kind: 'present', secret };
}

export interface PullSecretWrite {
  namespace: string;
  name: string;
  host: string;
  entry: DockerAuthEntry;
  refreshedAt: string;
  expiresAt: string;
  refreshedBy?: string;
  /** the Secret as read at the start of the run (null: known to be missing), saving the first GET */
  current?: Secret | null;
  /** server-side dry run: check that the write would be allowed, store nothing */
  dryRun?: boolean;
  /** attempts before giving up on repeated conflicts (default 5) */
  maxAttempts?: number;
  /** wraps every request, e.g. retrying transient errors */
  retry?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export async function upsertPullSecret(kube: KubeClient, w: PullSecretWrite): Promise<SecretAction> {
  const attempts = w.maxAttempts ?? 5;
  const send = w.retry ?? (<T>(fn: () => Promise<T>) => fn());
  const opts = { fieldManager: FIELD_MANAGER, dryRun: w.dryRun };
  let known = w.current;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let existing: Secret | undefined;
    if (known !== undefined) {
      existing = known ?? undefined;
      known = undefined; // later attempts re-read
    } else {
      try {
        existing = await send(() => kube.get('secrets', w.namespace, w.name));
      } catch (err) {
        if (!isKubeApiError(err, 'NotFound')) throw err;
      }
    }

    if (!existing) {
      try {
        await send(() => kube.create('secrets', w.namespace, newSecret(w), opts));
        return 'created';
      } catch (err) {
        if (isKubeApiError(err, 'AlreadyExists')) {
          if (w.dryRun) return 'updated';
          continue; // lost a create race (or our own retried create landed): read what won, then update it
        }
        throw err;
      }
    }

    const next = updatedSecret(existing, w);
    if (!next) return 'unchanged';
    try {
      await send(() => kube.update('secrets', w.namespace, w.name, next, opts));
      return 'updated';
    } catch (err) {
      if (isKubeApiError(err, 'Conflict')) {
        if (w.dryRun) return 'updated';
        continue; // changed since our GET: merge again into the new state
      }
      throw err;
    }
  }
  throw new Error(`Secret ${w.namespace}/${w.name} kept changing under us: ${attempts} conflicting writes in a row; try again`);
}

function annotations(w: PullSecretWrite): Record<string, string> {
  return {
    [REFRESHED_AT_ANNOTATION]: w.refreshedAt,
    [EXPIRES_AT_ANNOTATION]: w.expiresAt,
    ...(w.refreshedBy ? { [REFRESHED_BY_ANNOTATION]: w.refreshedBy } : {}),
  };
}

function newSecret(w: PullSecretWrite): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: annotations(w),
    },
    type: DOCKERCONFIGJSON_TYPE,
    data: { [DOCKERCONFIGJSON_KEY]: b64(mergeDockerConfigJson(undefined, w.host, w.entry).json) },
  };
}

/** The Secret to PUT, or undefined when it already holds our entry, label and recorded expiry. */
function updatedSecret(existing: Secret, w: PullSecretWrite): Secret | undefined {
  const where = `Secret ${w.namespace}/${w.name}`;
  const state = secretState(existing, w.host);
  if (state.kind === 'blocked') throw new Error(`${where} ${state.reason}`);
  const raw = existing.data?.[DOCKERCONFIGJSON_KEY];
  let merged;
  try {
    merged = mergeDockerConfigJson(raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8'), w.host, w.entry);
  } catch (err) {
    if (err instanceof DockerConfigError) throw new Error(`${where}: ${err.message}`);
    throw err;
  }
  const labelled = existing.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
  const dated = existing.metadata?.annotations?.[EXPIRES_AT_ANNOTATION] === w.expiresAt;
  if (!merged.changed && labelled && dated) return undefined;
  return {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: { ...(existing.metadata?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: { ...(existing.metadata?.annotations ?? {}), ...annotations(w) },
      // resourceVersion from our GET stays: it makes the PUT conditional
    },
    data: { ...(existing.data ?? {}), [DOCKERCONFIGJSON_KEY]: b64(merged.json) },
  };
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
