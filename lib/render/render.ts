/**
 * The renderer both front doors share (cdk8s app / `jcrkit synth`, and the KRM function):
 * resolved config → charts → plain objects per output file, checked and serialised.
 */
import { App, Chart, Yaml } from 'cdk8s';
import { buildStack } from '../../charts';
import type { ResolvedConfig } from '../config';
import { accessNote } from './access';
import { JOB_DEADLINE_SECONDS } from '../constructs/token-refresher';
import { readRefresherBundle } from './refresher-bundle';

/** Kinds jcrkit renders that are cluster-scoped (no metadata.namespace). */
export const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

export interface RenderedFile {
  /** Path relative to the output directory, e.g. `0000-dashboard.k8s.yaml`. */
  path: string;
  objects: KubeObject[];
  yaml: string;
}

export interface RenderOptions {
  /** JCR password given at render time (env JCR_PASSWORD / --password-stdin). */
  password?: string;
  /** The refresher bundle text; @default read from build/refresher/ */
  refresherBundle?: string;
}

export interface RenderResult {
  /** The GitOps output: what goes into the rendered directory or onto stdout. Never a credential. */
  files: RenderedFile[];
  /**
   * The pull Secret with the password, only when one was given: written on its own by
   * writeBootstrap (outside the rendered directory, 0600), never to stdout.
   */
  bootstrap?: RenderedFile;
  /** Human notes printed after a render: how to log in, how the pull Secret gets created. */
  notes: string[];
}

export function renderStack(config: ResolvedConfig, opts: RenderOptions = {}): RenderResult {
  // outdir is never written: we serialise the charts ourselves (explicit file names, atomic write).
  const app = new App({ outdir: 'build/cdk8s.unused' });
  const stack = buildStack(app, config, {
    password: opts.password,
    refresherBundle: () => opts.refresherBundle ?? readRefresherBundle(),
  });
  const serialise = ({ chart, file }: { chart: Chart; file: string }): RenderedFile => {
    const objects = chart.toJson() as KubeObject[];
    objects.forEach(checkScope);
    return { path: file, objects, yaml: Yaml.stringify(...objects) };
  };
  const files = stack.charts.map(serialise);
  const bootstrap = stack.bootstrap ? serialise(stack.bootstrap) : undefined;

  const notes: string[] = [];
  if (config.refresher.enabled && opts.password === undefined) {
    const runtime = config.images.find((i) => i.role === 'refresher-runtime');
    notes.push(
      `No pull Secret was rendered (no password given): the refresher creates ${config.pullSecret.name} in ${config.pullSecret.namespaces.join(', ')}. ` +
        `The CronJob's own image comes from the registry with that Secret, so the FIRST refresh runs from this workstation, right after the first apply ` +
        `(kubectl apply -f, or your GitOps sync); until then the CronJob's pods wait for their image and end after ${JOB_DEADLINE_SECONDS / 60} minutes:\n` +
        `  jcrkit credentials apply [--config FILE]   # AK/SK from JDCLOUD_ACCESS_KEY/JDCLOUD_SECRET_KEY into ${config.refresher.namespace}/${config.refresher.credentialsSecret}\n` +
        `  jcrkit refresh [--config FILE]             # the first token; the CronJob renews it from then on\n` +
        `  jcrkit status [--config FILE]              # expiry per namespace, the CronJob's last success` +
        (runtime
          ? `\nThe refresher runs ${runtime.ref}${runtime.source ? ` (copy of ${runtime.source}: jcrkit mirror --from-config puts it into the registry${runtime.ref.includes('@') ? '' : ' and prints its digest for images.digests'})` : ''}.`
          : ''),
    );
  }
  const access = accessNote(config);
  if (access) notes.push(access);
  return bootstrap ? { files, bootstrap, notes } : { files, notes };
}

/** Guards the "no namespace on cluster-scoped objects, explicit namespace on all others" rule. */
function checkScope(o: KubeObject): void {
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(o.kind);
  if (clusterScoped && o.metadata.namespace !== undefined) throw new Error(`internal: cluster-scoped ${o.kind}/${o.metadata.name} has a namespace`);
  if (!clusterScoped && !o.metadata.namespace) throw new Error(`internal: ${o.kind}/${o.metadata.name} has no namespace`);
}
