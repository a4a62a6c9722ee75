/**
 * RBAC authorization as the real rbac.authorization.k8s.io authorizer decides it, for the fake API
 * server: Role/ClusterRole rules bound by RoleBinding (namespace-scoped, may reference a
 * ClusterRole) or ClusterRoleBinding. Objects are plain rendered manifests (what cdk8s writes).
 */

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface RequestAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  /** '' for cluster-scoped requests */
  namespace: string;
  /** '' for create and collection requests: such requests never match a resourceNames rule */
  name: string;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RbacObject {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { apiGroup?: string; kind: string; name: string };
  subjects?: Subject[];
  [k: string]: unknown;
}

export const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The user a service-account token authenticates as, with the groups the token authenticator adds. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    name: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

export class RbacAuthorizer {
  private readonly objects: RbacObject[] = [];

  constructor(objects: Iterable<unknown> = []) {
    this.add(objects);
  }

  /** Adds every RBAC object among `objects`; other kinds (Deployments, ...) are ignored. */
  add(objects: Iterable<unknown>): void {
    for (const o of objects) {
      const obj = o as RbacObject;
      if (obj && typeof obj === 'object' && RBAC_KINDS.has(obj.kind)) this.objects.push(JSON.parse(JSON.stringify(obj)) as RbacObject);
    }
  }

  authorize(user: UserInfo, attrs: RequestAttributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    for (const binding of this.objects) {
      if (binding.kind === 'ClusterRoleBinding') {
        if (this.bindingApplies(binding, user, '') && this.rulesOf(binding, '').some((r) => ruleAllows(r, attrs))) return true;
      } else if (binding.kind === 'RoleBinding') {
        const ns = binding.metadata.namespace ?? 'default';
        if (ns !== attrs.namespace) continue;
        if (this.bindingApplies(binding, user, ns) && this.rulesOf(binding, ns).some((r) => ruleAllows(r, attrs))) return true;
      }
    }
    return false;
  }

  private rulesOf(binding: RbacObject, namespace: string): PolicyRule[] {
    const ref = binding.roleRef;
    if (!ref) return [];
    const role = this.objects.find(
      (o) =>
        o.kind === ref.kind &&
        o.metadata.name === ref.name &&
        (ref.kind === 'ClusterRole' ? true : (o.metadata.namespace ?? 'default') === namespace),
    );
    return role?.rules ?? [];
  }

  private bindingApplies(binding: RbacObject, user: UserInfo, bindingNamespace: string): boolean {
    return (binding.subjects ?? []).some((s) => {
      switch (s.kind) {
        case 'User':
          return s.name === user.name;
        case 'Group':
          return user.groups.includes(s.name);
        case 'ServiceAccount': {
          // rbac/v1 subjects of a RoleBinding default to the binding's namespace
          const ns = s.namespace || bindingNamespace;
          return user.name === `system:serviceaccount:${ns}:${s.name}`;
        }
        default:
          return false;
      }
    });
  }
}

function matches(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === '*' || v === value);
}

export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!matches(rule.verbs, attrs.verb)) return false;
  if (!matches(rule.apiGroups, attrs.apiGroup)) return false;
  if (!matches(rule.resources, attrs.resource)) return false;
  // an empty resourceNames allows every name; a non-empty one only the named objects, so it can
  // never allow create or list (their request carries no name)
  if (rule.resourceNames && rule.resourceNames.length > 0) return rule.resourceNames.includes(attrs.name) && attrs.name !== '';
  return true;
}

/** The Forbidden message exactly as kube-apiserver words it. */
export function forbiddenMessage(user: UserInfo, attrs: RequestAttributes): string {
  const subject = attrs.name ? `${attrs.resource} "${attrs.name}"` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${user.name}" cannot ${attrs.verb} resource "${attrs.resource}" in API group "${attrs.apiGroup}" ${scope}`;
}
