/**
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) as the API server applies it, for
 * the fake: a binding selects a policy; the policy's matchConstraints.resourceRules pick the
 * request (group, version, operation, resource), its matchConditions (CEL) must all be true, and
 * each validation (CEL) must be true or the request is denied with the validation's reason
 * (https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/).
 * The CEL is evaluated by @bufbuild/cel with the variables the API server binds: object,
 * oldObject, request. Dry-run requests are judged like real ones.
 *
 * Not modelled: paramKind/params, namespaceObject, authorizer, variables, audit annotations,
 * matchResources beyond an optional namespace list by kubernetes.io/metadata.name.
 */
import { run } from '@bufbuild/cel';

type Obj = Record<string, any>;

export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  group: string;
  version: string;
  resource: string;
  namespace: string;
  name: string;
  userInfo: { username: string; groups: string[] };
  dryRun: boolean;
  object: Obj | null;
  oldObject: Obj | null;
}

export interface AdmissionDenial {
  code: number;
  reason: string;
  message: string;
}

const CODE_BY_REASON: Record<string, number> = { Unauthorized: 401, Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };

/** Evaluates one CEL expression with the request's variables; throws on a compile or runtime error. */
export function evalCel(expression: string, req: AdmissionRequest): unknown {
  const vars = {
    object: req.object,
    oldObject: req.oldObject,
    request: {
      operation: req.operation,
      name: req.name,
      namespace: req.namespace,
      dryRun: req.dryRun,
      userInfo: req.userInfo,
      kind: { group: req.group, version: req.version },
      resource: { group: req.group, version: req.version, resource: req.resource },
    },
  };
  return run(expression, JSON.parse(JSON.stringify(vars)));
}

function matches(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === '*' || v === value);
}

/** The first denial among the bound policies, or undefined when the request is admitted. */
export function admit(policies: Obj[], bindings: Obj[], req: AdmissionRequest): AdmissionDenial | undefined {
  for (const binding of bindings) {
    const policy = policies.find((p) => p.metadata?.name === binding.spec?.policyName);
    if (!policy) continue;
    const actions: string[] = binding.spec?.validationActions ?? [];
    if (!actions.includes('Deny')) continue;
    const selected: string[] | undefined = binding.spec?.matchResources?.namespaceSelector?.matchExpressions?.find((e: Obj) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'In')?.values;
    if (selected && !selected.includes(req.namespace)) continue;
    const rules: Obj[] = policy.spec?.matchConstraints?.resourceRules ?? [];
    const inScope = rules.some(
      (r) => matches(r.apiGroups, req.group) && matches(r.apiVersions, req.version) && matches(r.operations, req.operation) && matches(r.resources, req.resource),
    );
    if (!inScope) continue;
    const failClosed = (policy.spec?.failurePolicy ?? 'Fail') === 'Fail';
    const prefix = `ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}' denied request`;
    let conditionsHold = true;
    for (const c of policy.spec?.matchConditions ?? []) {
      try {
        if (evalCel(c.expression, req) !== true) conditionsHold = false;
      } catch (err) {
        if (failClosed) return { code: 403, reason: 'Forbidden', message: `${prefix}: matchCondition ${c.name}: ${(err as Error).message}` };
        conditionsHold = false;
      }
    }
    if (!conditionsHold) continue;
    for (const v of policy.spec?.validations ?? []) {
      let ok: unknown;
      try {
        ok = evalCel(v.expression, req);
      } catch (err) {
        if (!failClosed) continue;
        return { code: 403, reason: 'Forbidden', message: `${prefix}: expression '${v.expression}' resulted in error: ${(err as Error).message}` };
      }
      if (ok !== true) {
        const reason = v.reason ?? 'Invalid';
        return { code: CODE_BY_REASON[reason] ?? 422, reason, message: `${prefix}: ${v.message ?? `failed expression: ${v.expression}`}` };
      }
    }
  }
  return undefined;
}
