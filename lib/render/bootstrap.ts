/**
 * Where the bootstrap pull Secret goes: one file, mode 0600, outside every rendered directory.
 *
 * The rendered directory (dist/, `--out`) is what users commit and what GitOps engines apply, and
 * engines read more than `kubectl apply -f DIR` does (Flux's kustomize-controller generates a
 * kustomization of every manifest below its path, recursively: https://fluxcd.io/flux/components/kustomize/kustomizations/#path),
 * so the token has no place anywhere below it. Without an explicit path the file goes into a new
 * private directory under the OS temp dir (mkdtemp: unpredictable name, mode 0700), never into the
 * working tree.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { BOOTSTRAP_FILE } from '../../charts';
import { UsageError } from '../core/errors';
import type { RenderedFile } from './render';

export interface BootstrapTarget {
  /** The file the user named (`--bootstrap-out`, env JCRKIT_BOOTSTRAP_OUT); @default a new private temp directory */
  path?: string;
  /** Directories that receive rendered (committed) output; the file may not be inside any of them. */
  renderedDirs: string[];
  /** The flag or variable that named the path, for messages. @default --bootstrap-out */
  via?: string;
}

/** True when `path` is `dir` or below it. */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Checks a named bootstrap path before anything is rendered or written (bad input: exit 2). */
export function checkBootstrapPath(target: BootstrapTarget): void {
  if (target.path === undefined) return;
  const via = target.via ?? '--bootstrap-out';
  if (target.path === '') throw new UsageError(`${via} is empty. Fix: name a file outside the rendered directory, e.g. ${via === '--bootstrap-out' ? '--bootstrap-out ' : `${via}=`}/tmp/jcr-pull-secret.yaml`);
  for (const dir of target.renderedDirs) {
    if (isInside(target.path, dir)) {
      throw new UsageError(
        `${via} ${target.path} is inside the rendered directory ${dir}, which is committed to Git and applied by GitOps engines; the pull Secret holds the registry token. Fix: name a file outside it, e.g. /tmp/jcr-pull-secret.yaml, or leave ${via} unset for a private temp file`,
      );
    }
  }
  if (existsSync(target.path) && statSync(target.path).isDirectory()) {
    throw new UsageError(`${via} ${target.path} is a directory. Fix: name the file to write, e.g. ${join(target.path, BOOTSTRAP_FILE)}`);
  }
}

/** Writes the bootstrap Secret (0600, atomically) and returns the path it was written to. */
export function writeBootstrap(file: RenderedFile, target: BootstrapTarget): string {
  checkBootstrapPath(target);
  let path: string;
  if (target.path === undefined) {
    path = join(mkdtempSync(join(tmpdir(), 'jcrkit-bootstrap-')), BOOTSTRAP_FILE);
  } else {
    path = target.path;
    mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
  }
  // A temp file beside the target, created 0600 before any byte is written, then renamed over it:
  // the token is never readable by others, and a crash never leaves half a file.
  const tmp = join(dirname(resolve(path)), `.${BOOTSTRAP_FILE}.jcrkit-tmp-${process.pid}`);
  try {
    writeFileSync(tmp, file.yaml, { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600); // in case a umask or an odd filesystem widened it
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}

/** The post-render note: where the Secret is and how to create it exactly once. */
export function bootstrapNote(path: string): string {
  return (
    `The pull Secret was rendered with the given password into ${path} (mode 0600, outside the rendered directory: never commit it). ` +
    `Create it once with \`kubectl create -f ${path}\`, then delete the file; the refresher replaces the token in place from then on.`
  );
}
