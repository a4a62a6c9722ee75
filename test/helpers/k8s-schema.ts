/**
 * Strict Kubernetes schema validation for rendered objects, from what npm offers (no network, no
 * cluster, no files outside the repo), for the two Kubernetes versions jcrkit supports:
 *  1. kubernetes-models validators: types, enums, formats and required fields of the Kubernetes
 *     1.27 OpenAPI schema, per apiVersion/kind (types of a field do not change between minor
 *     versions, so this holds for 1.32 as well).
 *  2. Unknown fields: kubernetes-models ignores them, so every object is round-tripped through the
 *     generated k8s types of cdk8s-plus-27 (Kubernetes 1.27) and of cdk8s-plus-32 (Kubernetes
 *     1.32). Their toJson_* functions copy only fields that version's schema knows; anything that
 *     does not survive the round trip is an unknown field for that version.
 *     Primitive leaves are boxed first, so IntOrString/Quantity fields (which toJson reads through
 *     `.value`) and plain fields (which toJson copies as-is) both come back unchanged. The generated
 *     TypeScript names differ from the JSON names for acronyms (setHostnameAsFQDN is read from
 *     `setHostnameAsFqdn`), so keys are renamed with the mapping read from the generated toJson
 *     functions themselves.
 */
import { readFileSync } from 'node:fs';
import { k8s as k8s127 } from 'cdk8s-plus-27';
import { k8s as k8s132 } from 'cdk8s-plus-32';

export type KubernetesVersion = '1.27' | '1.32';
export const KUBERNETES_VERSIONS: KubernetesVersion[] = ['1.27', '1.32'];

const GENERATED = { '1.27': { k8s: k8s127, module: 'cdk8s-plus-27' }, '1.32': { k8s: k8s132, module: 'cdk8s-plus-32' } } as const;

/** JSON field name → generated property name, for the fields where they differ. */
const JSON_TO_PROP: Record<KubernetesVersion, Record<string, string>> = (() => {
  const maps = {} as Record<KubernetesVersion, Record<string, string>>;
  for (const v of KUBERNETES_VERSIONS) {
    const source = readFileSync(require.resolve(`${GENERATED[v].module}/lib/imports/k8s.js`), 'utf8');
    const map: Record<string, string> = {};
    for (const m of source.matchAll(/'([^']+)': (?:[\w.]*\()?obj\.(\w+)/g)) if (m[1] !== m[2]) map[m[1]] = m[2];
    maps[v] = map;
  }
  return maps;
})();

type Validator = { validate(): void };
type ModelCtor = new (data: unknown) => Validator;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const models = (group: string): Record<string, ModelCtor> => require(`kubernetes-models/${group}`);

type Generated = typeof k8s127 | typeof k8s132;
const KINDS: Record<string, { model: () => ModelCtor; toJson: (k8s: Generated) => (o: unknown) => unknown }> = {
  'v1/Namespace': { model: () => models('v1').Namespace, toJson: (k) => k.toJson_KubeNamespaceProps as never },
  'v1/ServiceAccount': { model: () => models('v1').ServiceAccount, toJson: (k) => k.toJson_KubeServiceAccountProps as never },
  'v1/Secret': { model: () => models('v1').Secret, toJson: (k) => k.toJson_KubeSecretProps as never },
  'v1/ConfigMap': { model: () => models('v1').ConfigMap, toJson: (k) => k.toJson_KubeConfigMapProps as never },
  'v1/Service': { model: () => models('v1').Service, toJson: (k) => k.toJson_KubeServiceProps as never },
  'apps/v1/Deployment': { model: () => models('apps/v1').Deployment, toJson: (k) => k.toJson_KubeDeploymentProps as never },
  'batch/v1/CronJob': { model: () => models('batch/v1').CronJob, toJson: (k) => k.toJson_KubeCronJobProps as never },
  'batch/v1/Job': { model: () => models('batch/v1').Job, toJson: (k) => k.toJson_KubeJobProps as never },
  'networking.k8s.io/v1/NetworkPolicy': { model: () => models('networking.k8s.io/v1').NetworkPolicy, toJson: (k) => k.toJson_KubeNetworkPolicyProps as never },
  'rbac.authorization.k8s.io/v1/Role': { model: () => models('rbac.authorization.k8s.io/v1').Role, toJson: (k) => k.toJson_KubeRoleProps as never },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: () => models('rbac.authorization.k8s.io/v1').RoleBinding, toJson: (k) => k.toJson_KubeRoleBindingProps as never },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: () => models('rbac.authorization.k8s.io/v1').ClusterRole, toJson: (k) => k.toJson_KubeClusterRoleProps as never },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { model: () => models('rbac.authorization.k8s.io/v1').ClusterRoleBinding, toJson: (k) => k.toJson_KubeClusterRoleBindingProps as never },
  // Kubernetes 1.32 generates v1 of these; 1.27 only v1alpha1, whose field set is v1's for
  // everything jcrkit renders (v1 adds only spec.variables, which jcrkit does not use), so the
  // v1alpha1 round trip still rejects unknown fields while kubernetes-models checks the v1 schema.
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': {
    model: () => models('admissionregistration.k8s.io/v1').ValidatingAdmissionPolicy,
    toJson: (k) => ('toJson_KubeValidatingAdmissionPolicyProps' in k ? k.toJson_KubeValidatingAdmissionPolicyProps : (k as typeof k8s127).toJson_KubeValidatingAdmissionPolicyV1Alpha1Props) as never,
  },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': {
    model: () => models('admissionregistration.k8s.io/v1').ValidatingAdmissionPolicyBinding,
    toJson: (k) => ('toJson_KubeValidatingAdmissionPolicyBindingProps' in k ? k.toJson_KubeValidatingAdmissionPolicyBindingProps : (k as typeof k8s127).toJson_KubeValidatingAdmissionPolicyBindingV1Alpha1Props) as never,
  },
};

class Box {
  constructor(readonly value: unknown) {}
}

function box(v: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => box(x, names));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [names[k] ?? k, box(x, names)]));
  return new Box(v);
}

function unbox(v: unknown): unknown {
  if (v instanceof Box) return v.value;
  if (Array.isArray(v)) return v.map(unbox);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unbox(x)]));
  return v;
}

/** Paths present in `a` but missing (or different) in `b`. */
function lostPaths(a: unknown, b: unknown, path = ''): string[] {
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object') return [path || '/'];
    return Object.entries(a as Record<string, unknown>).flatMap(([k, v]) => lostPaths(v, (b as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return a === b ? [] : [path];
}

export interface SchemaProblem {
  object: string;
  problem: string;
}

/** Returns every schema problem of one object for one Kubernetes version (empty when valid). */
export function schemaProblems(obj: { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } }, version: KubernetesVersion = '1.27'): SchemaProblem[] {
  const id = `${obj.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`;
  const entry = KINDS[`${obj.apiVersion}/${obj.kind}`];
  if (!entry) return [{ object: id, problem: `no schema registered for ${obj.apiVersion} ${obj.kind}` }];
  const problems: SchemaProblem[] = [];
  try {
    new (entry.model())(obj).validate();
  } catch (e) {
    problems.push({ object: id, problem: (e as Error).message });
  }
  const { apiVersion: _a, kind: _k, ...body } = obj as Record<string, unknown>;
  void _a;
  void _k;
  const roundTripped = unbox(entry.toJson(GENERATED[version].k8s)(box(body, JSON_TO_PROP[version])));
  for (const p of lostPaths(body, roundTripped)) problems.push({ object: id, problem: `unknown field ${p} (Kubernetes ${version})` });
  return problems;
}
