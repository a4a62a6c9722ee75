/**
 * Create-or-update of the pull Secret in one namespace, in place: GET → PUT with the read
 * resourceVersion (409 Conflict → re-read and retry), 404 → POST (409 AlreadyExists → someone
 * created it meanwhile → re-read and update). Never DELETE: a delete-then-create leaves pods
 * starting in the gap without credentials, and no Secret at all if the create then fails.
 *
 * RBAC this needs: secrets get, update (resourceNames: [the Secret]) and create.
 */
import type { KubeClient } from '../kube/client';
import { isKubeApiError } from '../kube/errors';
import type { Secret } from '../kube/types';
import { DockerConfigError, mergeDockerConfigJson, type DockerAuthEntry } from '../model/dockerconfigjson';

export const DOCKERCONFIGJSON_TYPE = 'kubernetes.io/dockerconfigjson';
export const DOCKERCONFIGJSON_KEY = '.dockerconfigjson';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'jcrkit';
export const REFRESHED_AT_ANNOTATION = 'jcrkit.io/refreshed-at';
export const EXPIRES_AT_ANNOTATION = 'jcrkit.io/expires-at';

export type SecretAction = 'created' | 'updated' | 'unchanged';

export interface PullSecretWrite {
  namespace: string;
  name: string;
  host: string;
  entry: DockerAuthEntry;
  refreshedAt: string;
  expiresAt: string;
  /** attempts before giving up on repeated conflicts (default 5) */
  maxAttempts?: number;
}

export async function upsertPullSecret(kube: KubeClient, w: PullSecretWrite): Promise<SecretAction> {
  const attempts = w.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let existing: Secret | undefined;
    try {
      existing = await kube.get('secrets', w.namespace, w.name);
    } catch (err) {
      if (!isKubeApiError(err, 'NotFound')) throw err;
    }

    if (!existing) {
      try {
        await kube.create('secrets', w.namespace, newSecret(w));
        return 'created';
      } catch (err) {
        if (isKubeApiError(err, 'AlreadyExists')) continue; // lost a create race: read what won, then update it
        throw err;
      }
    }

    const next = updatedSecret(existing, w);
    if (!next) return 'unchanged';
    try {
      await kube.update('secrets', w.namespace, w.name, next);
      return 'updated';
    } catch (err) {
      if (isKubeApiError(err, 'Conflict')) continue; // changed since our GET: merge again into the new state
      throw err;
    }
  }
  throw new Error(`Secret ${w.namespace}/${w.name} kept changing under us: ${attempts} conflicting writes in a row; try again`);
}

function newSecret(w: PullSecretWrite): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: { [REFRESHED_AT_ANNOTATION]: w.refreshedAt, [EXPIRES_AT_ANNOTATION]: w.expiresAt },
    },
    type: DOCKERCONFIGJSON_TYPE,
    data: { [DOCKERCONFIGJSON_KEY]: b64(mergeDockerConfigJson(undefined, w.host, w.entry).json) },
  };
}

/** The Secret to PUT, or undefined when it already holds our entry and label. */
function updatedSecret(existing: Secret, w: PullSecretWrite): Secret | undefined {
  const where = `Secret ${w.namespace}/${w.name}`;
  if ((existing.type ?? 'Opaque') !== DOCKERCONFIGJSON_TYPE) {
    // type is immutable; replacing the Secret would need a delete, which we never do
    throw new Error(`${where} exists with type ${existing.type ?? 'Opaque'}, not ${DOCKERCONFIGJSON_TYPE}; rename pullSecret.name or delete that Secret`);
  }
  if (existing.immutable) throw new Error(`${where} is immutable; jcrkit cannot refresh it in place — delete it once so jcrkit can recreate it`);
  const raw = existing.data?.[DOCKERCONFIGJSON_KEY];
  let merged;
  try {
    merged = mergeDockerConfigJson(raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8'), w.host, w.entry);
  } catch (err) {
    if (err instanceof DockerConfigError) throw new Error(`${where}: ${err.message}`);
    throw err;
  }
  const labelled = existing.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
  if (!merged.changed && labelled) return undefined;
  return {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: { ...(existing.metadata?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: { ...(existing.metadata?.annotations ?? {}), [REFRESHED_AT_ANNOTATION]: w.refreshedAt, [EXPIRES_AT_ANNOTATION]: w.expiresAt },
      // resourceVersion from our GET stays: it makes the PUT conditional
    },
    data: { ...(existing.data ?? {}), [DOCKERCONFIGJSON_KEY]: b64(merged.json) },
  };
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
