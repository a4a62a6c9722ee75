/**
 * The objects the function adds: exactly `renderStack`'s (the renderer `jcrkit synth` and
 * `cdk8s synth` use), in the same files and order, plus the placement and ownership annotations.
 * Never with a password: the bootstrap pull Secret is not rendered by the function at all.
 */
import type { ResolvedConfig } from '../config';
import { KubeObject, renderStack } from '../render';
import { annotateGenerated } from './annotations';

export interface Generated {
  objects: KubeObject[];
  notes: string[];
}

export function generateObjects(config: ResolvedConfig, opts: { refresherBundle?: string } = {}): Generated {
  const { files, notes } = renderStack(config, { refresherBundle: opts.refresherBundle });
  const objects = files.flatMap((f) => f.objects.map((o, i) => annotateGenerated(o, f.path, i)));
  return { objects, notes };
}
