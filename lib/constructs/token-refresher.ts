import { createHash } from 'node:crypto';
import { ApiObject, Cron, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { REFRESHER_NAME, type RefreshPlan } from '../model/refresh-plan';
import { PART_OF_REFRESHER } from './labels';
import { podSecurityLabels } from './pod-security';

/**
 * What the CronJob runs: the seam between the manifests and the refresher program.
 * Either the stock runtime image plus a bundled script delivered through a ConfigMap, or a
 * custom image whose entrypoint is the refresher.
 */
export type RefresherProgram =
  | {
      kind: 'bundle';
      /** Stock Node.js image (mirrored into the registry), e.g. .../library/node:24.21.0-alpine. */
      runtimeImage: string;
      /** File name inside the ConfigMap, mounted at /opt/jcrkit. */
      fileName: string;
      /** The dependency-free refresher script (built by `npm run build`). */
      source: string;
    }
  | {
      kind: 'image';
      /** An image whose entrypoint runs the refresher and reads the same environment. */
      image: string;
    };

/** The refresher's run parameters, passed as JSON in env JCRKIT_REFRESH_PLAN. */
export type RefreshPlanSpec = RefreshPlan;

export interface TokenRefresherProps {
  /**
   * Name of every object (CronJob, ServiceAccount, ConfigMap, each Role and RoleBinding).
   * @default jcrkit-token-refresher
   */
  readonly name?: string;
  /** Namespace the CronJob and its ServiceAccount live in. @default kube-system */
  readonly namespace?: string;
  /** Cron schedule. @default every 15 minutes (a run with a fresh token mints none) */
  readonly schedule?: string;
  /**
   * Render the namespace as a Namespace object: true for a custom refresher.namespace, false for
   * the ones that always exist (default, kube-system, kube-public, kube-node-lease) and for one
   * another chart already renders. @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Render a ValidatingAdmissionPolicy (+ binding) that lets the refresher's ServiceAccount create
   * only `kubernetes.io/dockerconfigjson` Secrets named plan.secretName. @default false
   */
  readonly admissionPolicy?: boolean;
  /** Secret with JDCLOUD_ACCESS_KEY / JDCLOUD_SECRET_KEY in `namespace`. @default jdcloud-credentials */
  readonly credentialsSecret?: string;
  readonly plan: RefreshPlanSpec;
  readonly program: RefresherProgram;
  /** Pull Secret to pull the refresher image with, when that image lives in the registry. @default none */
  readonly imagePullSecret?: string;
  /** Verbs on the named ServiceAccounts; must match what the program does. @default ['get', 'patch'] */
  readonly serviceAccountVerbs?: string[];
}

export { REFRESHER_NAME };
const MOUNT_DIR = '/opt/jcrkit';
/**
 * The Job's whole deadline (pending time included, https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-termination-and-cleanup):
 * a pod stuck in ImagePullBackOff — pending pods never count toward backoffLimit — is ended
 * after 5 minutes, so with concurrencyPolicy Forbid it cannot block the next scheduled run.
 * A healthy run takes seconds.
 */
export const JOB_DEADLINE_SECONDS = 300;
/** The policy's name (cluster-scoped). */
export const ADMISSION_POLICY_NAME = `${REFRESHER_NAME}-secrets.jcrkit.io`;

/**
 * The in-cluster token refresh: ServiceAccount, per-namespace Role + RoleBinding with exactly the
 * permissions one refresh needs, the program's ConfigMap, and the CronJob.
 *
 * The CronJob uses cdk8s-plus; each of its injected defaults was decided, not inherited:
 *  - automountServiceAccountToken: true - the program talks to the API server (plus defaults false).
 *  - imagePullPolicy: IfNotPresent (plus: Always) - the runtime image may live in the very registry
 *    whose Secret this job refreshes; once the Secret expired, Always would make recovery impossible.
 *  - securityContext: non-root uid/gid 1000 (the `node` user of the official image), read-only root
 *    filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp.
 *  - resources: small explicit requests/limits instead of plus's 1 CPU / 512Mi requests.
 *  - startingDeadlineSeconds: 300 (plus: 10) so a briefly busy controller does not skip a run.
 *  - backoffLimit 0: a failed run is never retried inside its Job, because it may already have
 *    minted a token; the next scheduled run (which mints only when no recorded token is fresh)
 *    is the retry. activeDeadlineSeconds 300 ends a pod stuck pulling its image.
 *  - history 2/2, Forbid concurrency, restartPolicy Never (the runbook's values).
 *  - hostNetwork false (the runbook used true for no reason), one pull secret (all we need).
 *  - the cdk8s.io/metadata.addr pod label is removed: it carries a path hash and selects nothing.
 */
export class TokenRefresher extends Construct {
  readonly serviceAccountName: string;
  readonly roles: k8s.KubeRole[] = [];
  readonly cronJob: kplus.CronJob;
  /** the ValidatingAdmissionPolicy, when props.admissionPolicy is on */
  admissionPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: TokenRefresherProps) {
    super(scope, id);
    const name = props.name ?? REFRESHER_NAME;
    this.serviceAccountName = name;
    const namespace = props.namespace ?? 'kube-system';
    const credentials = props.credentialsSecret ?? 'jdcloud-credentials';
    const plan = props.plan;

    if (props.createNamespace) {
      // first in the file, so `kubectl apply -f` creates it before the objects that live in it
      // its only pod meets the restricted profile, so the namespace enforces it
      new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels: { ...PART_OF_REFRESHER, ...podSecurityLabels(namespace, 'restricted') } } });
    }

    const sa = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name, namespace, labels: { ...PART_OF_REFRESHER } },
      // The pod mounts its token explicitly; other pods using this SA (none) should not.
      automountToken: false,
    });

    // --- RBAC: one Role + RoleBinding per target namespace ----------------------------------
    const saNamespaces = new Set(plan.serviceAccountNamespaces);
    for (const ns of plan.namespaces) {
      const rules: k8s.PolicyRule[] = [
        // get + update (PUT with resourceVersion): the refresher never patches the Secret, so no patch.
        { apiGroups: [''], resources: ['secrets'], resourceNames: [plan.secretName], verbs: ['get', 'update'] },
        // create cannot be restricted by resourceNames (the name is not known before the object
        // exists); refresher.admissionPolicy narrows it to the pull Secret.
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      ];
      // ServiceAccounts only where the user listed the namespace: the derived ones run only pods
      // jcrkit renders, which name the pull Secret themselves.
      if (plan.serviceAccounts.length > 0 && saNamespaces.has(ns)) {
        rules.push({ apiGroups: [''], resources: ['serviceaccounts'], resourceNames: [...plan.serviceAccounts], verbs: props.serviceAccountVerbs ?? ['get', 'patch'] });
      }
      this.roles.push(new k8s.KubeRole(this, `role-${ns}`, { metadata: { name, namespace: ns, labels: { ...PART_OF_REFRESHER } }, rules }));
      new k8s.KubeRoleBinding(this, `role-binding-${ns}`, {
        metadata: { name, namespace: ns, labels: { ...PART_OF_REFRESHER } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace }],
      });
    }
    // Each run records an Event on its CronJob: create on events, in its own namespace only.
    const eventsRole = `${name}-events`;
    this.roles.push(
      new k8s.KubeRole(this, 'role-events', {
        metadata: { name: eventsRole, namespace, labels: { ...PART_OF_REFRESHER } },
        rules: [{ apiGroups: [''], resources: ['events'], verbs: ['create'] }],
      }),
    );
    new k8s.KubeRoleBinding(this, 'role-binding-events', {
      metadata: { name: eventsRole, namespace, labels: { ...PART_OF_REFRESHER } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: eventsRole },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    if (props.admissionPolicy) this.renderAdmissionPolicy(name, namespace, plan.secretName);

    // --- the program ----------------------------------------------------------------------------
    let image: string;
    let command: string[] | undefined;
    const volumes: { path: string; volume: kplus.Volume }[] = [];
    const podAnnotations: Record<string, string> = {};
    if (props.program.kind === 'bundle') {
      const program = props.program;
      const configMap = new kplus.ConfigMap(this, 'program', {
        metadata: { name, namespace, labels: { ...PART_OF_REFRESHER } },
        data: { [program.fileName]: program.source },
      });
      image = program.runtimeImage;
      command = ['node', `${MOUNT_DIR}/${program.fileName}`];
      volumes.push({ path: MOUNT_DIR, volume: kplus.Volume.fromConfigMap(this, 'program-volume', configMap, { name: 'program' }) });
      // A new program version changes the pod template, so the change is visible in a diff/rollout.
      podAnnotations['jcrkit.io/program-sha256'] = createHash('sha256').update(program.source).digest('hex');
    } else {
      image = props.program.image;
    }

    const ak = kplus.Secret.fromSecretName(this, 'credentials', credentials);
    this.cronJob = new kplus.CronJob(this, 'cron-job', {
      metadata: { name, namespace, labels: { ...PART_OF_REFRESHER } },
      podMetadata: { labels: { ...PART_OF_REFRESHER }, annotations: podAnnotations },
      schedule: Cron.schedule(parseCron(props.schedule ?? '*/15 * * * *')),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.seconds(300),
      successfulJobsRetained: 2,
      failedJobsRetained: 2,
      backoffLimit: 0,
      activeDeadline: Duration.seconds(JOB_DEADLINE_SECONDS),
      restartPolicy: kplus.RestartPolicy.NEVER,
      serviceAccount: sa,
      automountServiceAccountToken: true,
      hostNetwork: false,
      terminationGracePeriod: Duration.seconds(30),
      dockerRegistryAuth: props.imagePullSecret ? kplus.Secret.fromSecretName(this, 'pull-secret', props.imagePullSecret) : undefined,
      securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },
      containers: [
        {
          name: 'refresher',
          image,
          command,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          envVariables: {
            JCRKIT_REFRESH_PLAN: kplus.EnvValue.fromValue(JSON.stringify(plan)),
            JDCLOUD_ACCESS_KEY: kplus.EnvValue.fromSecretValue({ secret: ak, key: 'JDCLOUD_ACCESS_KEY' }),
            JDCLOUD_SECRET_KEY: kplus.EnvValue.fromSecretValue({ secret: ak, key: 'JDCLOUD_SECRET_KEY' }),
          },
          securityContext: { ensureNonRoot: true, user: 1000, group: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false },
          resources: {
            cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
            memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
          },
          volumeMounts: volumes.map((v) => ({ path: v.path, volume: v.volume, readOnly: true })),
        },
      ],
    });

    const api = ApiObject.of(this.cronJob);
    const pod = '/spec/jobTemplate/spec/template';
    api.addJsonPatch(
      JsonPatch.remove(`${pod}/metadata/labels/cdk8s.io~1metadata.addr`),
      JsonPatch.add(`${pod}/spec/containers/0/securityContext/capabilities`, { drop: ['ALL'] }),
      JsonPatch.add(`${pod}/spec/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
    );
  }

  /**
   * RBAC cannot name the object of a create, so `create secrets` would let a compromised
   * refresher create, before the pull Secret exists, a kubernetes.io/service-account-token Secret
   * for any ServiceAccount of a target namespace and read the token the control plane puts in it.
   * This policy (admissionregistration.k8s.io/v1, Kubernetes >= 1.30,
   * https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/) lets the
   * refresher's ServiceAccount create nothing but the dockerconfigjson pull Secret. matchConditions
   * keep every other user out of its scope; dry-run creates are judged like real ones.
   */
  private renderAdmissionPolicy(name: string, namespace: string, secretName: string): void {
    const user = `system:serviceaccount:${namespace}:${name}`;
    // cluster-scoped, so named after the refresher: a second instance gets its own policy
    const policyName = name === REFRESHER_NAME ? ADMISSION_POLICY_NAME : `${name}-secrets.jcrkit.io`;
    this.admissionPolicy = new ApiObject(this, 'admission-policy', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: policyName, labels: { ...PART_OF_REFRESHER } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['secrets'] }] },
        matchConditions: [{ name: 'is-jcrkit-refresher', expression: `request.userInfo.username == '${user}'` }],
        validations: [
          {
            expression: `object.type == 'kubernetes.io/dockerconfigjson' && object.metadata.name == '${secretName}'`,
            message: `the jcrkit refresher may create only the kubernetes.io/dockerconfigjson Secret ${secretName}`,
            reason: 'Forbidden',
          },
        ],
      },
    });
    new ApiObject(this, 'admission-policy-binding', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policyName, labels: { ...PART_OF_REFRESHER } },
      spec: { policyName, validationActions: ['Deny'] },
    });
  }
}

/** Splits a validated 5-field cron expression (or @descriptor) into cdk8s Cron options. */
function parseCron(expr: string): { minute?: string; hour?: string; day?: string; month?: string; weekDay?: string } {
  const descriptors: Record<string, string> = {
    '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
    '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
  };
  const fields = (descriptors[expr.trim()] ?? expr.trim()).split(/\s+/);
  if (fields.length !== 5) throw new Error(`TokenRefresher: schedule "${expr}" must have 5 fields`);
  const [minute, hour, day, month, weekDay] = fields;
  return { minute, hour, day, month, weekDay };
}
