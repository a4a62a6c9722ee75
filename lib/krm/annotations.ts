/**
 * The annotation names the KRM function reads and writes, and the helpers that add and strip them.
 *
 * Orchestrator annotations (KRM Functions Specification; kyaml `kio/kioutil/kioutil.go`):
 * `internal.config.kubernetes.io/path|index` say which file (and which document in it) an item
 * belongs to. kpt and kustomize still read the legacy `config.kubernetes.io/path|index` too, so
 * new objects carry both spellings.
 *
 * Ownership: every object the function generates carries `config.jcrkit.io/generated-by:
 * jcrkit-fn`. That, and nothing else, is how a later run recognises its own earlier output and
 * replaces it (spec: functions MAY delete items), so hand-written items are never removed. No label
 * is added: labels would change the objects, which must stay identical to `jcrkit synth`'s.
 */
import type { KubeObject } from '../render';

/** Set on every generated object; a later run replaces exactly the items that carry it. */
export const GENERATED_BY = 'config.jcrkit.io/generated-by';
export const GENERATED_BY_VALUE = 'jcrkit-fn';

export const PATH = 'internal.config.kubernetes.io/path';
export const INDEX = 'internal.config.kubernetes.io/index';
export const LEGACY_PATH = 'config.kubernetes.io/path';
export const LEGACY_INDEX = 'config.kubernetes.io/index';
/**
 * "Client-side only, never applied"
 * (https://github.com/kubernetes-sigs/kustomize/blob/kustomize/v5.8.1/cmd/config/docs/api-conventions/manifest-annotations.md);
 * kustomize drops such items from its output.
 */
export const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

/**
 * Package-relative directory the generated files land in (`kpt fn eval`/`render` write them
 * there). Inside it the layout is exactly `jcrkit synth`'s dist/: one file per chart, in apply
 * order, e.g. `jcrkit/0000-dashboard.k8s.yaml`, so a package reviews like a dist/ directory.
 */
export const OUTPUT_DIR = 'jcrkit';

/** Every annotation the function adds to a rendered object. */
export const ADDED_ANNOTATIONS = [GENERATED_BY, PATH, INDEX, LEGACY_PATH, LEGACY_INDEX] as const;

/** A copy of a rendered object with the KRM placement and ownership annotations added. */
export function annotateGenerated(obj: KubeObject, file: string, index: number): KubeObject {
  const copy = structuredClone(obj);
  const path = `${OUTPUT_DIR}/${file}`;
  const ours: Record<string, string> = {
    [GENERATED_BY]: GENERATED_BY_VALUE,
    [PATH]: path,
    [INDEX]: String(index),
    [LEGACY_PATH]: path,
    [LEGACY_INDEX]: String(index),
  };
  const existing = copy.metadata.annotations as Record<string, string> | undefined;
  if (existing) {
    copy.metadata.annotations = { ...existing, ...ours };
  } else {
    // cdk8s sorts metadata keys; `annotations` sorts first, so put it first to keep that order.
    copy.metadata = { annotations: ours, ...copy.metadata };
  }
  return copy;
}

/**
 * The inverse of annotateGenerated, for comparing function output with `jcrkit synth` output
 * (and for orchestrators' output, which may keep or drop the path/index ones).
 */
export function stripAddedAnnotations<T>(obj: T): T {
  const copy = structuredClone(obj) as { metadata?: { annotations?: Record<string, string> } };
  const annotations = copy.metadata?.annotations;
  if (annotations) {
    for (const key of [...ADDED_ANNOTATIONS, 'internal.config.kubernetes.io/id', 'config.k8s.io/id']) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete copy.metadata!.annotations;
  }
  return copy as T;
}
