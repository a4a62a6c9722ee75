/**
 * Writes a rendered stack to a directory all at once: into a temporary sibling directory first,
 * then swapped in with renames. A failed render never reaches this point, and a failed write leaves
 * the previous directory exactly as it was.
 */
import { InputError } from '../core/errors';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RenderedFile } from './render';

/** True for files jcrkit (or cdk8s) writes, so we never replace a directory holding other work. */
function isRenderedFile(rel: string): boolean {
  return rel.endsWith('.k8s.yaml');
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? listFiles(full, rel) : [rel];
  });
}

export function writeRendered(outDir: string, files: RenderedFile[]): string[] {
  const target = resolve(outDir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new InputError(`${outDir} exists and is not a directory. Fix: choose another --out`);
    const foreign = listFiles(target).filter((f) => !isRenderedFile(f));
    if (foreign.length > 0) {
      throw new InputError(`${outDir} holds files jcrkit did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); it would replace the whole directory. Fix: choose an empty or jcrkit-only --out`);
    }
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.jcrkit-new-${process.pid}`);
  const old = join(parent, `.${basename(target)}.jcrkit-old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging);
    for (const f of files) {
      const path = join(staging, f.path);
      mkdirSync(dirname(path), { recursive: true });
      // Rendered output holds no credential (the bootstrap Secret is written by writeBootstrap).
      writeFileSync(path, f.yaml, { mode: 0o644 });
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
  return files.map((f) => join(outDir, f.path));
}
