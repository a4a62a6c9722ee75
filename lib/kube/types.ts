/**
 * The few core/v1 shapes jcrkit reads and writes. Deliberately partial: unknown fields are kept
 * (index signatures) so a read-modify-write PUT never drops what another controller set.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface Secret extends KubeObject {
  type?: string;
  /** values are base64, as on the wire */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  immutable?: boolean;
}

export interface LocalObjectReference {
  name: string;
  [field: string]: unknown;
}

export interface ServiceAccount extends KubeObject {
  imagePullSecrets?: LocalObjectReference[];
  secrets?: { name?: string; [field: string]: unknown }[];
  automountServiceAccountToken?: boolean;
}

export interface KubeEvent extends KubeObject {
  involvedObject?: Record<string, unknown>;
  reason?: string;
  message?: string;
  type?: string;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  state?: { waiting?: { reason?: string; message?: string }; [k: string]: unknown };
  [field: string]: unknown;
}

export interface Pod extends KubeObject {
  spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[]; [k: string]: unknown };
  status?: { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; [k: string]: unknown };
}

export interface CronJob extends KubeObject {
  spec?: { schedule?: string; suspend?: boolean; [k: string]: unknown };
  status?: { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: unknown[]; [k: string]: unknown };
}

export interface KubeList<T extends KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** meta/v1 Status, the body of every API error response. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata?: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
}

/** The core/v1 collections the client knows; the resource name is also the RBAC resource. */
export type CoreV1Resource = 'secrets' | 'serviceaccounts' | 'events' | 'pods';

/** Kubernetes patch flavours and their Content-Type. */
export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const;
export type PatchType = keyof typeof PATCH_CONTENT_TYPES;

/** One RFC 6902 operation. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };
