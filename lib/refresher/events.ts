/**
 * Each run leaves a Kubernetes Event on the refresher's CronJob, so `kubectl get events
 * --field-selector involvedObject.name=jcrkit-token-refresher` and `jcrkit status` show when the
 * pull Secret was last renewed and why a run failed, without reading pod logs (which the Job
 * history prunes). core/v1 Events with the classic fields
 * (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/). The
 * involvedObject carries no uid: reading the CronJob for it would be one more RBAC right, so
 * `kubectl describe cronjob` (which matches by uid) does not list these Events.
 *
 * RBAC this needs: events create, in the refresher's own namespace only. A failed Event write is
 * a warning: the Secrets are what matter.
 */
import type { KubeClient } from '../kube/client';
import type { KubeEvent } from '../kube/types';
import { REFRESHER_NAME } from '../model/refresh-plan';
import { FIELD_MANAGER } from './pull-secret';

export type RefreshEventReason = 'TokenRenewed' | 'TokenFresh' | 'RefreshFailed' | 'NoUsableToken';

export const EVENT_COMPONENT = 'jcrkit-refresher';

export interface RefreshEvent {
  namespace: string;
  reason: RefreshEventReason;
  /** never a secret: expiry, counts, namespaces and reasons only */
  message: string;
  now: Date;
  /** who ran: the pod name in the cluster, `jcrkit refresh` on a workstation */
  instance?: string;
  /** the CronJob the Event is about. @default REFRESHER_NAME */
  cronJob?: string;
}

export function refreshEvent(e: RefreshEvent): KubeEvent {
  const time = e.now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${e.cronJob ?? REFRESHER_NAME}.`, namespace: e.namespace },
    involvedObject: { apiVersion: 'batch/v1', kind: 'CronJob', name: e.cronJob ?? REFRESHER_NAME, namespace: e.namespace },
    reason: e.reason,
    // the API server rejects Event messages over 1 KiB (validation of core/v1 Event)
    message: e.message.length > 1000 ? `${e.message.slice(0, 997)}...` : e.message,
    type: e.reason === 'TokenRenewed' || e.reason === 'TokenFresh' ? 'Normal' : 'Warning',
    source: { component: EVENT_COMPONENT, ...(e.instance ? { host: e.instance } : {}) },
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
}

export async function recordRefreshEvent(kube: KubeClient, e: RefreshEvent): Promise<void> {
  await kube.create('events', e.namespace, refreshEvent(e), { fieldManager: FIELD_MANAGER });
}
