/** `jcrkit cmp-generate` and `jcrkit cmp-manifests`, run (definitions in lib/cli/commands/cmp.ts). */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config';
import { UsageError } from '../../core/errors';
import { CMP_DEFAULT_IMAGE, cmpConfigFile, cmpManifests, cmpOverrides, renderStack } from '../../render';
import type { Redactor } from '../../core/redact';
import type { CommandIo } from '../run-command';
import { streamOf } from './synth';

/**
 * Everything is computed before the first byte goes to stdout: an error (thrown, printed by the
 * command runner on stderr, exit 1 or 2) leaves stdout empty.
 */
export async function generate(io: CommandIo, redactor: Redactor): Promise<void> {
  const env = io.env;
  if (env.JCR_PASSWORD) {
    redactor.add(env.JCR_PASSWORD);
    throw new UsageError("JCR_PASSWORD is set in the plugin's environment; the plugin renders GitOps output and never the pull Secret. Fix: remove JCR_PASSWORD from the sidecar");
  }
  const loaded = loadConfig({ path: cmpConfigFile(env), env: {}, overrides: cmpOverrides(env) });
  const stream = streamOf(renderStack(loaded.config).files);
  // Warnings go to stderr, which Argo CD shows in the UI; they never hold a credential.
  for (const w of loaded.warnings) io.stderr.write(`warning: ${w}\n`);
  io.stdout.write(stream);
}

export interface CmpManifestsArgs {
  namespace: string;
  image?: string;
  patch?: boolean;
  out?: string;
}

/** Writes a file atomically (temp file + rename) so a failed run never leaves half a manifest. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.jcrkit-tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}

export async function manifests(args: CmpManifestsArgs, io: CommandIo): Promise<void> {
  const image = args.image ?? CMP_DEFAULT_IMAGE;
  if (!/^[a-z0-9][a-z0-9._\-/:@]*$/.test(image)) throw new UsageError(`--image "${image}" is not an image reference. Fix: write host/repository:tag, e.g. ${CMP_DEFAULT_IMAGE}`);
  const m = cmpManifests({ namespace: args.namespace, image });
  if (args.out !== undefined) {
    mkdirSync(args.out, { recursive: true });
    writeAtomic(join(args.out, 'jcrkit-cmp.yaml'), m.configMap);
    writeAtomic(join(args.out, 'repo-server-patch.yaml'), m.patch);
    writeAtomic(join(args.out, 'kustomization.yaml'), m.kustomization);
    io.stderr.write(`wrote ${args.out}/{jcrkit-cmp.yaml,repo-server-patch.yaml,kustomization.yaml} (bundle sha256:${m.bundleSha256}); apply with kubectl apply --server-side -k, then restart the repo-server\n`);
  } else {
    io.stdout.write(args.patch ? m.patch : m.configMap);
  }
}
