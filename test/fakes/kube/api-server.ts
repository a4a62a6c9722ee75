/**
 * An in-memory Kubernetes API server with the semantics jcrkit depends on, because no real API
 * server can run here. Served: core/v1 namespaces (cluster-scoped), secrets, serviceaccounts,
 * configmaps, events, pods, services; apps/v1 deployments (stored only); batch/v1 cronjobs, jobs; rbac.authorization.k8s.io/v1 roles,
 * rolebindings, clusterroles, clusterrolebindings; admissionregistration.k8s.io/v1
 * validatingadmissionpolicies(+bindings); authorization.k8s.io/v1 selfsubjectaccessreviews;
 * discovery (/api, /apis, /api/v1, /apis/G/V, /version) so kubectl can talk to it.
 *
 *
 * - resourceVersion is a global counter bumped on every write; no-op updates do not bump it;
 * - PUT with a stale resourceVersion → 409 Conflict; POST of an existing name → 409 AlreadyExists;
 *   GET/PUT/PATCH of a missing object → 404 NotFound; writes into a missing namespace → 404;
 * - PATCH: json-patch (422 when an operation such as `test` fails, as patch.go answers),
 *   merge-patch, strategic-merge with per-type list semantics (see patch.ts); a patch that
 *   changes metadata.resourceVersion acts as a precondition (409 Conflict);
 * - Secrets: stringData folded into data, base64 checked, type immutable, dockerconfigjson checked;
 * - TokenRequest (POST serviceaccounts/{name}/token, authentication.k8s.io/v1): issues a token that
 *   then authenticates as the ServiceAccount, with the lifetime asked for (at least 10 minutes, as
 *   the real validation demands) capped by `maxTokenExpirationSeconds`;
 * - authentication: bearer tokens (e.g. service-account tokens) and x509 client certificates
 *   (CN = user, O = groups); authorization: RBAC from plain Role/RoleBinding/ClusterRole/
 *   ClusterRoleBinding objects, answering 403 with the real message;
 * - ?dryRun=All: authorized, admitted and validated like the real write, nothing stored;
 * - ?fieldManager=NAME (default: the User-Agent's product) recorded in metadata.managedFields;
 * - ValidatingAdmissionPolicies applied on create/update, CEL and all (admission.ts);
 * - list honours labelSelector and simple fieldSelector (a.b=c,...);
 * - every error is a meta/v1 Status; every request is recorded; faults and latency injectable;
 *   a fault may also drop the connection without an answer.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import type { TLSSocket } from 'tls';
import { admit } from './admission';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, deepEqual, PatchError } from './patch';
import { forbiddenMessage, RBAC_KINDS, RbacAuthorizer, serviceAccountUser, type RequestAttributes, type UserInfo } from './rbac';

export { serviceAccountUser, type UserInfo } from './rbac';

type Obj = Record<string, any>;

interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** only POST (reviews) */
  createOnly?: boolean;
}

/** Resources served. Names are unique across groups here, so the store is keyed by resource name. */
const RESOURCES: Record<string, ResourceInfo> = {
  namespaces: { group: '', version: 'v1', kind: 'Namespace', namespaced: false },
  secrets: { group: '', version: 'v1', kind: 'Secret', namespaced: true },
  serviceaccounts: { group: '', version: 'v1', kind: 'ServiceAccount', namespaced: true },
  configmaps: { group: '', version: 'v1', kind: 'ConfigMap', namespaced: true },
  events: { group: '', version: 'v1', kind: 'Event', namespaced: true },
  pods: { group: '', version: 'v1', kind: 'Pod', namespaced: true },
  services: { group: '', version: 'v1', kind: 'Service', namespaced: true },
  deployments: { group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true },
  cronjobs: { group: 'batch', version: 'v1', kind: 'CronJob', namespaced: true },
  jobs: { group: 'batch', version: 'v1', kind: 'Job', namespaced: true },
  roles: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', namespaced: true },
  rolebindings: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', namespaced: true },
  clusterroles: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespaced: false },
  clusterrolebindings: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', namespaced: false },
  validatingadmissionpolicies: { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicy', namespaced: false },
  validatingadmissionpolicybindings: { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false },
  selfsubjectaccessreviews: { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', namespaced: false, createOnly: true },
};

/** kind (as in a manifest) → resource name, for seeding rendered objects. */
const RESOURCE_BY_KIND: Record<string, string> = Object.fromEntries(Object.entries(RESOURCES).map(([r, i]) => [i.kind, r]));

const apiVersionOf = (i: ResourceInfo) => (i.group ? `${i.group}/${i.version}` : i.version);

export const ADMIN_USER: UserInfo = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export interface FakeKubeApiOptions {
  /** bearer token → user. When set (or clientCa is), requests without credentials get 401. */
  tokens?: Record<string, UserInfo>;
  /** RBAC objects; when given (even empty) every request is authorized by RBAC. */
  rbac?: Iterable<unknown>;
  /** serve https; clientCa enables x509 client-certificate authentication */
  tls?: { cert: string | Buffer; key: string | Buffer; clientCa?: string | Buffer };
  /** namespaces that exist from the start (default: ["default", "kube-system"]) */
  namespaces?: string[];
  /** added to every request before it is handled */
  latencyMs?: number;
  /** TokenRequest lifetimes above this are shortened to it, as --service-account-max-token-expiration does */
  maxTokenExpirationSeconds?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  verb: string;
  resource?: string;
  namespace?: string;
  name?: string;
  user?: string;
  contentType?: string;
  /** parsed request body (tests use it to check what was sent, e.g. the patch) */
  body?: unknown;
  status?: number;
  reason?: string;
  /** ?dryRun=All */
  dryRun?: boolean;
  fieldManager?: string;
}

export interface FaultMatch {
  /** true: only dry runs; false: only real requests; undefined: both */
  dryRun?: boolean;
  method?: string;
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
}

export interface Fault {
  match: FaultMatch;
  /** how many matching requests it applies to (default 1) */
  times?: number;
  /** answer with this Status instead of handling the request */
  respond?: { code: number; reason: string; message?: string; retryAfterSeconds?: number };
  /** destroy the connection without an answer (after handling the request, when `afterWrite`) */
  drop?: boolean;
  /** with drop: let the request take effect first, then drop the answer */
  afterWrite?: boolean;
  /** run before the request is handled, e.g. a concurrent writer changing the object */
  before?: (api: FakeKubeApi) => void;
}

export interface FakeKubeApi {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** requests other than GET (what changed or tried to change state) */
  writes(): RecordedRequest[];
  addNamespace(...names: string[]): void;
  /** store an object as-is (bypassing auth), assigning uid/resourceVersion; returns the stored copy */
  seed(resource: string, obj: Obj): Obj;
  /**
   * What `kubectl apply -f dir/` (or a GitOps sync) of rendered objects leaves behind: every
   * object stored by its kind, RBAC objects authorizing from then on, admission policies in force.
   */
  applyManifests(objects: Iterable<Obj>): void;
  /** namespace '' for cluster-scoped objects */
  get(resource: string, namespace: string, name: string): Obj | undefined;
  list(resource: string, namespace?: string): Obj[];
  /** a write by someone else: mutate the stored object and bump its resourceVersion */
  mutate(resource: string, namespace: string, name: string, fn: (obj: Obj) => void): void;
  /** a service-account token that authenticates as system:serviceaccount:ns:name */
  addServiceAccountToken(namespace: string, name: string, token?: string): string;
  /** the user a bearer token authenticates as (e.g. one issued through TokenRequest) */
  userOfToken(token: string): UserInfo | undefined;
  addRbac(objects: Iterable<unknown>): void;
  injectFault(fault: Fault): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
  ) {
    super(message);
  }
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export async function startFakeKubeApi(opts: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const store = new Map<string, Obj>();
  const tokens = new Map<string, UserInfo>(Object.entries(opts.tokens ?? {}));
  const requireAuth = Boolean(opts.tokens) || Boolean(opts.tls?.clientCa);
  const rbac = opts.rbac ? new RbacAuthorizer(opts.rbac) : undefined;
  const faults: (Fault & { remaining: number })[] = [];
  const requests: RecordedRequest[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  let revision = 1000;

  const key = (resource: string, ns: string, name: string) => `${resource}/${ns}/${name}`;
  const nextRv = () => String(++revision);
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const hasNamespace = (ns: string) => store.has(key('namespaces', '', ns));

  function stamp(resource: string, ns: string, obj: Obj): Obj {
    const info = RESOURCES[resource];
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata = { ...(obj.metadata ?? {}) };
    if (info.namespaced) obj.metadata.namespace = ns;
    else delete obj.metadata.namespace;
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= now();
    obj.metadata.resourceVersion = nextRv();
    if (resource === 'namespaces') obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    return obj;
  }

  function storeNamespace(name: string): void {
    if (!hasNamespace(name)) store.set(key('namespaces', '', name), stamp('namespaces', '', { metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }));
  }
  for (const n of opts.namespaces ?? ['default', 'kube-system']) storeNamespace(n);

  const api: FakeKubeApi = {
    url: '',
    port: 0,
    requests,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    addNamespace: (...names) => names.forEach(storeNamespace),
    seed(resource, obj) {
      const info = RESOURCES[resource];
      if (!info) throw new Error(`fake kube: unknown resource ${resource}`);
      const ns = info.namespaced ? (obj.metadata?.namespace ?? 'default') : '';
      if (info.namespaced) storeNamespace(ns);
      const stored = stamp(resource, ns, clone(obj));
      if (resource === 'secrets') normalizeSecret(stored, undefined);
      store.set(key(resource, ns, stored.metadata.name), stored);
      if (rbac && RBAC_KINDS.has(info.kind)) rbac.add([stored]);
      return clone(stored);
    },
    applyManifests(objects) {
      for (const o of objects) {
        const resource = RESOURCE_BY_KIND[o.kind];
        if (!resource) throw new Error(`fake kube: cannot store kind ${o.kind}`);
        api.seed(resource, o);
      }
    },
    get: (resource, ns, name) => {
      const o = store.get(key(resource, RESOURCES[resource]?.namespaced === false ? '' : ns, name));
      return o && clone(o);
    },
    list: (resource, ns) =>
      [...store.entries()].filter(([k]) => k.startsWith(`${resource}/${ns === undefined ? '' : `${ns}/`}`)).map(([, o]) => clone(o)),
    mutate(resource, ns, name, fn) {
      const o = store.get(key(resource, ns, name));
      if (!o) throw new Error(`fake kube: no ${resource} ${ns}/${name} to mutate`);
      fn(o);
      o.metadata.resourceVersion = nextRv();
    },
    addServiceAccountToken(ns, name, token = `sa-token-${ns}-${name}-${randomUUID()}`) {
      tokens.set(token, serviceAccountUser(ns, name));
      return token;
    },
    userOfToken: (token) => tokens.get(token),
    addRbac: (objects) => {
      if (!rbac) throw new Error('fake kube: start with { rbac: [...] } to enable RBAC');
      rbac.add(objects);
    },
    injectFault: (fault) => faults.push({ ...fault, remaining: fault.times ?? 1 }),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  function authenticate(req: http.IncomingMessage): UserInfo | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return tokens.get(auth.slice(7).trim());
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate === 'function' && socket.authorized) {
      const cert = socket.getPeerCertificate();
      if (cert?.subject?.CN) {
        const o = cert.subject.O;
        return { name: String(cert.subject.CN), groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'] };
      }
    }
    return requireAuth ? undefined : ADMIN_USER;
  }

  async function handle(req: http.IncomingMessage, body: Buffer, rec: RecordedRequest): Promise<[number, Obj] | 'drop'> {
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const user = authenticate(req);
    if (!user) throw new ApiFailure(401, 'Unauthorized', 'Unauthorized');
    rec.user = user.name;

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'namespaces' && parts[4] === 'serviceaccounts' && parts[6] === 'token' && parts.length === 7) {
      return issueToken(method, parts[3], parts[5], user, body, rec);
    }
    const discovered = discovery(url.pathname, api.port);
    if (discovered) {
      if (method !== 'GET') throw new ApiFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return [200, discovered];
    }

    const route = parseResourcePath(url.pathname);
    if (!route) throw new ApiFailure(404, 'NotFound', 'the server could not find the requested resource');
    const { resource, info } = route;
    let { ns, name } = route;
    // /api/v1/namespaces/{name} is the Namespace object itself
    const verb =
      method === 'GET' ? (name ? 'get' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? 'delete' : '';
    if (!verb || (verb === 'create' && name) || (verb !== 'create' && verb !== 'list' && !name) || (info.createOnly && verb !== 'create')) {
      throw new ApiFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    Object.assign(rec, { verb, resource, namespace: ns || undefined, name: name || undefined });
    const dryRun = url.searchParams.get('dryRun') === 'All';
    rec.dryRun = dryRun || undefined;
    rec.fieldManager = url.searchParams.get('fieldManager') ?? undefined;

    if (resource === 'selfsubjectaccessreviews') return [201, selfSubjectAccessReview(user, body)];

    const attrs: RequestAttributes = { verb, apiGroup: info.group, resource, namespace: ns, name };
    if (rbac && !rbac.authorize(user, attrs)) {
      throw new ApiFailure(403, 'Forbidden', forbiddenMessage(user, attrs), { name: name || undefined, kind: resource });
    }

    let dropAfterWrite = false;
    for (const f of faults) {
      const m = f.match;
      if (f.remaining <= 0) continue;
      if (m.dryRun !== undefined && m.dryRun !== dryRun) continue;
      if ((m.method && m.method !== method) || (m.verb && m.verb !== verb) || (m.resource && m.resource !== resource)) continue;
      if ((m.namespace && m.namespace !== ns) || (m.name && m.name !== name)) continue;
      f.remaining--;
      f.before?.(api);
      if (f.drop && !f.afterWrite) return 'drop';
      if (f.drop) dropAfterWrite = true;
      if (f.respond) {
        throw new ApiFailure(f.respond.code, f.respond.reason, f.respond.message ?? `injected ${f.respond.reason}`, f.respond.retryAfterSeconds ? { retryAfterSeconds: f.respond.retryAfterSeconds } : undefined);
      }
      break;
    }

    const parsed = body.length ? parseBody(body) : undefined;
    rec.body = parsed;
    const kind = info.kind;
    const current = name ? store.get(key(resource, ns, name)) : undefined;
    const notFound = () => new ApiFailure(404, 'NotFound', `${resource}${info.group ? `.${info.group}` : ''} "${name}" not found`, { name, kind: resource });
    const manager = rec.fieldManager ?? String(req.headers['user-agent'] ?? 'unknown').split('/')[0];
    const result = await (async (): Promise<[number, Obj]> => {
      switch (verb) {
        case 'get':
          if (!current) throw notFound();
          return [200, clone(current)];
        case 'list': {
          const items = api
            .list(resource, info.namespaced ? ns || undefined : '')
            .filter((o) => matchesSelector(o, url.searchParams.get('labelSelector')) && matchesFieldSelector(o, url.searchParams.get('fieldSelector')));
          return [200, { kind: `${kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: String(revision) }, items }];
        }
        case 'create': {
          const obj = expectObject(parsed, kind);
          if (!obj.metadata?.name && obj.metadata?.generateName) obj.metadata.name = obj.metadata.generateName + randomUUID().slice(0, 5);
          const objName: string = obj.metadata?.name ?? '';
          if (info.namespaced) checkNamespaceOfBody(obj, ns);
          validateName(kind, objName);
          if (info.namespaced && !hasNamespace(ns)) throw new ApiFailure(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
          name = objName;
          if (store.has(key(resource, ns, objName))) {
            throw new ApiFailure(409, 'AlreadyExists', `${resource} "${objName}" already exists`, { name: objName, kind: resource });
          }
          delete obj.metadata.resourceVersion;
          delete obj.metadata.uid;
          delete obj.metadata.creationTimestamp;
          delete obj.metadata.managedFields;
          if (resource === 'secrets') normalizeSecret(obj, undefined);
          admission('CREATE', info, resource, ns, objName, user, dryRun, obj, null);
          const stored = stamp(resource, ns, obj);
          stored.metadata.managedFields = [{ manager, operation: 'Update', apiVersion: apiVersionOf(info), time: now(), fieldsType: 'FieldsV1' }];
          if (!dryRun) {
            store.set(key(resource, ns, objName), stored);
            if (rbac && RBAC_KINDS.has(kind)) rbac.add([stored]);
          }
          return [201, clone(stored)];
        }
        case 'update': {
          const obj = expectObject(parsed, kind);
          if (info.namespaced) checkNamespaceOfBody(obj, ns);
          if (obj.metadata?.name !== name) {
            throw new ApiFailure(400, 'BadRequest', `the name of the object (${obj.metadata?.name}) does not match the name on the URL (${name})`);
          }
          if (!current) throw notFound();
          return [200, commitUpdate(resource, ns, name, current, obj, { dryRun, manager, user })];
        }
        case 'patch': {
          if (!current) throw notFound();
          const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
          let patched: Obj;
          try {
            if (type === 'application/json-patch+json') patched = applyJsonPatch(current, parsed) as Obj;
            else if (type === 'application/merge-patch+json') patched = applyMergePatch(current, parsed) as Obj;
            else if (type === 'application/strategic-merge-patch+json') patched = applyStrategicMergePatch(kind, current, parsed) as Obj;
            else {
              throw new ApiFailure(
                415,
                'UnsupportedMediaType',
                `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
              );
            }
          } catch (err) {
            if (err instanceof PatchError) {
              throw new ApiFailure(err.code, err.reason, err.message, err.cause ? { causes: [{ reason: 'UnexpectedServerResponse', message: err.cause }] } : undefined);
            }
            throw err;
          }
          if (patched?.metadata?.name !== name) throw new ApiFailure(400, 'BadRequest', 'metadata.name: the name of the object may not be changed by a patch');
          return [200, commitUpdate(resource, ns, name, current, patched, { dryRun, manager, user })];
        }
        default:
          throw new ApiFailure(405, 'MethodNotAllowed', 'the fake API server does not implement delete');
      }
    })();
    return dropAfterWrite ? 'drop' : result;
  }

  /** POST .../serviceaccounts/{name}/token: the TokenRequest subresource (authentication.k8s.io/v1). */
  function issueToken(method: string, ns: string, name: string, user: UserInfo, body: Buffer, rec: RecordedRequest): [number, Obj] {
    if (method !== 'POST') throw new ApiFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    Object.assign(rec, { verb: 'create', resource: 'serviceaccounts/token', namespace: ns, name });
    const attrs: RequestAttributes = { verb: 'create', apiGroup: '', resource: 'serviceaccounts/token', namespace: ns, name };
    if (rbac && !rbac.authorize(user, attrs)) throw new ApiFailure(403, 'Forbidden', forbiddenMessage(user, attrs), { name, kind: 'serviceaccounts' });
    const parsed = body.length ? parseBody(body) : {};
    rec.body = parsed;
    const request = (parsed ?? {}) as Obj;
    if (request.kind !== 'TokenRequest' || request.apiVersion !== 'authentication.k8s.io/v1') {
      throw new ApiFailure(400, 'BadRequest', `the body of the request is ${request.apiVersion}/${request.kind}, expected authentication.k8s.io/v1/TokenRequest`);
    }
    if (!store.has(key('serviceaccounts', ns, name))) throw new ApiFailure(404, 'NotFound', `serviceaccounts "${name}" not found`, { name, kind: 'serviceaccounts' });
    const asked = Number(request.spec?.expirationSeconds ?? 3600);
    if (asked < 600) {
      throw new ApiFailure(422, 'Invalid', `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${asked}: may not specify a duration less than 10 minutes`);
    }
    const seconds = Math.min(asked, opts.maxTokenExpirationSeconds ?? asked);
    const token = `fake-tokenrequest-${ns}-${name}-${randomUUID()}`;
    tokens.set(token, serviceAccountUser(ns, name));
    const expirationTimestamp = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    return [201, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { name, namespace: ns, creationTimestamp: null }, spec: { ...request.spec, expirationSeconds: seconds }, status: { token, expirationTimestamp } }];
  }

  /** ValidatingAdmissionPolicies in the store, applied to one write; denial → the Status the API server sends. */
  function admission(operation: 'CREATE' | 'UPDATE', info: ResourceInfo, resource: string, ns: string, name: string, user: UserInfo, dryRun: boolean, object: Obj, oldObject: Obj | null): void {
    const policies = api.list('validatingadmissionpolicies', '');
    if (policies.length === 0) return;
    const denial = admit(policies, api.list('validatingadmissionpolicybindings', ''), {
      operation,
      group: info.group,
      version: info.version,
      resource,
      namespace: ns,
      name,
      userInfo: { username: user.name, groups: user.groups },
      dryRun,
      object: { ...clone(object), apiVersion: apiVersionOf(info), kind: info.kind, metadata: { ...object.metadata, name, ...(info.namespaced ? { namespace: ns } : {}) } },
      oldObject,
    });
    if (denial) throw new ApiFailure(denial.code, denial.reason, denial.message);
  }

  /** POST selfsubjectaccessreviews: may the caller do this? (RBAC, or everything when RBAC is off) */
  function selfSubjectAccessReview(user: UserInfo, body: Buffer): Obj {
    const review = expectObject(body.length ? parseBody(body) : undefined, 'SelfSubjectAccessReview');
    const a = review.spec?.resourceAttributes ?? {};
    const allowed = !rbac || rbac.authorize(user, { verb: a.verb ?? '', apiGroup: a.group ?? '', resource: a.resource ?? '', namespace: a.namespace ?? '', name: a.name ?? '' });
    return { ...review, apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', status: { allowed, ...(allowed ? { reason: 'RBAC: allowed' } : {}) } };
  }

  /** The shared tail of PUT and PATCH: precondition, validation, admission, no-op detection, store. */
  function commitUpdate(resource: string, ns: string, name: string, current: Obj, next: Obj, w: { dryRun: boolean; manager: string; user: UserInfo }): Obj {
    const info = RESOURCES[resource];
    const rv = next.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) {
      throw new ApiFailure(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, kind: resource },
      );
    }
    const obj = clone(next);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    // system fields the client cannot change
    obj.metadata = { ...obj.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp, managedFields: current.metadata.managedFields };
    if (info.namespaced) obj.metadata.namespace = ns;
    if (resource === 'secrets') normalizeSecret(obj, current);
    obj.metadata.resourceVersion = current.metadata.resourceVersion;
    if (deepEqual(obj, current)) return clone(current); // a no-op write does not bump resourceVersion (nor managedFields)
    admission('UPDATE', info, resource, ns, name, w.user, w.dryRun, obj, current);
    const others = ((current.metadata.managedFields ?? []) as Obj[]).filter((m) => m.manager !== w.manager);
    obj.metadata.managedFields = [...others, { manager: w.manager, operation: 'Update', apiVersion: apiVersionOf(info), time: now(), fieldsType: 'FieldsV1' }];
    obj.metadata.resourceVersion = w.dryRun ? current.metadata.resourceVersion : nextRv();
    if (!w.dryRun) store.set(key(resource, ns, name), obj);
    return clone(obj);
  }

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0],
        verb: '',
        contentType: req.headers['content-type'],
      };
      requests.push(rec);
      handle(req, Buffer.concat(chunks), rec)
        .then((answer) => {
          if (answer === 'drop') {
            rec.status = 0;
            req.socket.destroy();
            return;
          }
          send(res, rec, answer[0], answer[1]);
        })
        .catch((err: unknown) => {
          const f = err instanceof ApiFailure ? err : new ApiFailure(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`);
          const status: Obj = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: f.message, reason: f.reason, code: f.code };
          if (f.details) status.details = f.details;
          send(res, rec, f.code, status, f.details?.retryAfterSeconds);
        });
    });
  };

  const server = opts.tls
    ? https.createServer(
        { cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.clientCa, requestCert: Boolean(opts.tls.clientCa), rejectUnauthorized: false },
        onRequest,
      )
    : http.createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  Object.assign(api, { port, url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}` });
  return api;
}

function send(res: http.ServerResponse, rec: RecordedRequest, code: number, body: Obj, retryAfterSeconds?: number): void {
  rec.status = code;
  if (body.kind === 'Status') rec.reason = body.reason;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {}) });
  res.end(text);
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ApiFailure(400, 'BadRequest', `error decoding body: ${(err as Error).message}`);
  }
}

function expectObject(parsed: unknown, kind: string): Obj {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiFailure(400, 'BadRequest', 'the request body is not an object');
  const obj = clone(parsed as Obj);
  if (obj.kind !== undefined && obj.kind !== kind) throw new ApiFailure(400, 'BadRequest', `the body of the request has kind ${obj.kind}, expected ${kind}`);
  obj.metadata ??= {};
  return obj;
}

function checkNamespaceOfBody(obj: Obj, ns: string): void {
  if (obj.metadata?.namespace && obj.metadata.namespace !== ns) {
    throw new ApiFailure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  }
}

function validateName(kind: string, name: string): void {
  if (!name) throw new ApiFailure(422, 'Invalid', `${kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw new ApiFailure(
      422,
      'Invalid',
      `${kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/** Secret write rules from pkg/apis/core/validation (messages never echo the data, like the real ones). */
function normalizeSecret(obj: Obj, current: Obj | undefined): void {
  const name = obj.metadata?.name;
  obj.type ||= 'Opaque';
  if (obj.stringData) {
    obj.data = { ...(obj.data ?? {}) };
    for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) obj.data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete obj.stringData;
  }
  for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string' || !BASE64.test(v)) {
      throw new ApiFailure(400, 'BadRequest', `Secret in version "v1" cannot be handled as a Secret: illegal base64 data in data[${k}]`);
    }
  }
  if (current && current.type !== obj.type) {
    throw new ApiFailure(422, 'Invalid', `Secret "${name}" is invalid: type: Invalid value: "${obj.type}": field is immutable`);
  }
  if (current?.immutable && !deepEqual(current.data ?? {}, obj.data ?? {})) {
    throw new ApiFailure(422, 'Invalid', `Secret "${name}" is invalid: data: Forbidden: field is immutable when \`immutable\` is set`);
  }
  if (obj.type === 'kubernetes.io/dockerconfigjson') {
    const raw = obj.data?.['.dockerconfigjson'];
    if (raw === undefined) throw new ApiFailure(422, 'Invalid', `Secret "${name}" is invalid: data[.dockerconfigjson]: Required value`);
    try {
      JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    } catch (err) {
      throw new ApiFailure(422, 'Invalid', `Secret "${name}" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": ${(err as Error).message}`);
    }
  }
}

function matchesSelector(obj: Obj, selector: string | null): boolean {
  if (!selector) return true;
  const labels: Record<string, string> = obj.metadata?.labels ?? {};
  return selector.split(',').every((term) => {
    const [k, v] = term.split(/!?=+/);
    if (v === undefined) return k in labels;
    return term.includes('!=') ? labels[k] !== v : labels[k] === v;
  });
}

function getPath(obj: Obj, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Obj)[k] : undefined), obj);
}

/** `involvedObject.name=x,metadata.namespace=y` (and !=): the equality subset field selectors allow. */
function matchesFieldSelector(obj: Obj, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const neg = term.includes('!=');
    const [k, v] = term.split(/!?==?/);
    const actual = getPath(obj, k.trim());
    return neg ? String(actual ?? '') !== v : String(actual ?? '') === v;
  });
}

/** /api/v1/..., /apis/{group}/{version}/... → resource, namespace, name. */
function parseResourcePath(pathname: string): { resource: string; info: ResourceInfo; ns: string; name: string } | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    rest = parts.slice(3);
    if (parts[2] !== 'v1') return undefined;
  } else {
    return undefined;
  }
  let ns = '';
  let resource: string;
  let name = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    [, ns, resource, name = ''] = rest;
    if (rest.length > 4) return undefined;
  } else if (rest.length === 1 || rest.length === 2) {
    [resource, name = ''] = rest;
  } else {
    return undefined;
  }
  const info = RESOURCES[resource];
  if (!info || info.group !== group) return undefined;
  if (info.namespaced !== Boolean(ns) && !(info.namespaced && !ns && !name)) return undefined; // a namespaced object needs its namespace; lists may span all
  return { resource, info, ns, name };
}

/** Discovery documents, legacy (not aggregated) form: what kubectl falls back to. */
function discovery(pathname: string, port: number): Obj | undefined {
  const p = pathname.replace(/\/+$/, '');
  const groups = [...new Set(Object.values(RESOURCES).filter((i) => i.group).map((i) => i.group))];
  const resourceList = (group: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/v1` : 'v1',
    resources: Object.entries(RESOURCES)
      .filter(([, i]) => i.group === group)
      .map(([name, i]) => ({
        name,
        singularName: i.kind.toLowerCase(),
        namespaced: i.namespaced,
        kind: i.kind,
        verbs: i.createOnly ? ['create'] : ['create', 'get', 'list', 'patch', 'update'],
      })),
  });
  if (p === '/version') return { major: '1', minor: '32', gitVersion: 'v1.32.0-jcrkit-fake', platform: 'linux/amd64' };
  if (p === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] };
  if (p === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((g) => ({ name: g, versions: [{ groupVersion: `${g}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${g}/v1`, version: 'v1' } })),
    };
  }
  if (p === '/api/v1') return resourceList('');
  const m = /^\/apis\/([^/]+)\/v1$/.exec(p);
  if (m && groups.includes(m[1])) return resourceList(m[1]);
  return undefined;
}
