/**
 * `credentials apply`: the Secret holding JDCLOUD_ACCESS_KEY / JDCLOUD_SECRET_KEY that the
 * refresher CronJob reads (refresher.credentialsSecret in refresher.namespace). Created when
 * missing, otherwise updated IN PLACE with the resourceVersion read (a PUT that fails with 409
 * Conflict instead of overwriting a concurrent change); other keys, labels and annotations are
 * kept, so writing the Secret never breaks what else relies on it. Values never appear in any
 * message.
 */
import type { KubeClient } from '../kube/client';
import { isKubeApiError } from '../kube/errors';
import type { Secret } from '../kube/types';
import { ACCESS_KEY_ENV, JdcloudCredentials, SECRET_KEY_ENV } from '../jdcloud/credentials';
import { CloudInputError } from './errors';

export type CredentialsAction = 'created' | 'updated' | 'unchanged';

export interface CredentialsSecretResult {
  namespace: string;
  name: string;
  /** what was done, or with dryRun what would be done */
  action: CredentialsAction;
  dryRun: boolean;
}

export const CREDENTIALS_LABELS = { 'app.kubernetes.io/managed-by': 'jcrkit', 'app.kubernetes.io/component': 'jdcloud-credentials' };

export async function applyCredentialsSecret(
  kube: KubeClient,
  opts: { namespace: string; name: string; credentials: JdcloudCredentials; dryRun?: boolean },
): Promise<CredentialsSecretResult> {
  const { namespace, name } = opts;
  const data = {
    [ACCESS_KEY_ENV]: Buffer.from(opts.credentials.accessKey, 'utf8').toString('base64'),
    [SECRET_KEY_ENV]: Buffer.from(opts.credentials.secretKey, 'utf8').toString('base64'),
  };
  const result = (action: CredentialsAction): CredentialsSecretResult => ({ namespace, name, action, dryRun: !!opts.dryRun });

  let current: Secret | undefined;
  try {
    current = await kube.get('secrets', namespace, name);
  } catch (err) {
    if (!isKubeApiError(err, 'NotFound')) throw err;
  }

  if (!current) {
    if (opts.dryRun) return result('created');
    try {
      await kube.create('secrets', namespace, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels: CREDENTIALS_LABELS }, type: 'Opaque', data });
    } catch (err) {
      if (isKubeApiError(err, 'NotFound')) {
        throw new CloudInputError(`namespace ${namespace} does not exist. Fix: create it (kubectl create namespace ${namespace}) or set refresher.namespace to an existing one`);
      }
      throw err;
    }
    return result('created');
  }

  if (current.type && current.type !== 'Opaque') {
    throw new CloudInputError(`Secret ${namespace}/${name} exists with type ${current.type}, not Opaque; jcrkit will not overwrite it. Fix: set refresher.credentialsSecret to another name`);
  }
  if (current.immutable) {
    throw new CloudInputError(`Secret ${namespace}/${name} is immutable and cannot be updated in place. Fix: delete it (kubectl -n ${namespace} delete secret ${name}) and run again`);
  }
  const same = current.data?.[ACCESS_KEY_ENV] === data[ACCESS_KEY_ENV] && current.data?.[SECRET_KEY_ENV] === data[SECRET_KEY_ENV];
  if (same) return result('unchanged');
  if (opts.dryRun) return result('updated');
  const updated: Secret = { ...current, data: { ...current.data, ...data } };
  delete updated.stringData;
  // metadata.resourceVersion stays as read: the PUT is a compare-and-swap.
  await kube.update('secrets', namespace, name, updated);
  return result('updated');
}

/** AK then SK, one per line (`--stdin`); blank lines and surrounding spaces ignored. */
export function parseCredentialsText(text: string): JdcloudCredentials {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length !== 2) {
    throw new CloudInputError(`--stdin expects exactly two lines, the AccessKey then the SecretKey (got ${lines.length}). Fix: printf '%s\\n%s\\n' "$AK" "$SK" | jcrkit credentials apply --stdin`);
  }
  return { accessKey: lines[0], secretKey: lines[1] };
}
