/**
 * Objects a new render no longer contains. `kubectl apply -f DIR` only creates and updates, so an
 * object that drops out of the render (a renamed Service, the Role of a removed namespace) stays in
 * the cluster and nothing says so. Before the output directory is replaced, its current contents
 * are compared with the new render and every object that is gone is named, with the command that
 * removes it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, RenderedFile } from './render';

export interface PreviousObject {
  object: KubeObject;
  /** File it was read from, relative to the directory. */
  file: string;
}

export interface PreviousRender {
  objects: PreviousObject[];
  /** Files that could not be read or parsed (their objects are not compared). */
  unreadable: string[];
}

/** Marks the bootstrap pull Secret (old releases wrote it into DIR/bootstrap/). */
const BOOTSTRAP_ANNOTATION = 'jcrkit.io/bootstrap';

function listYaml(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) return listYaml(full, rel);
    return rel.endsWith('.k8s.yaml') ? [rel] : [];
  });
}

const isObject = (v: unknown): v is KubeObject =>
  v !== null && typeof v === 'object' && typeof (v as KubeObject).kind === 'string' && typeof (v as KubeObject).metadata?.name === 'string';

/** Reads every `*.k8s.yaml` below `dir` (nothing when it does not exist). */
export function readPreviousRender(dir: string): PreviousRender {
  const out: PreviousRender = { objects: [], unreadable: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return out;
  for (const file of listYaml(dir)) {
    try {
      const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'));
      const list = Array.isArray(docs) ? docs : [];
      if (list.some((d) => d.errors.length > 0)) throw new Error('not valid YAML');
      for (const d of list) {
        const v = d.toJS();
        if (isObject(v)) out.objects.push({ object: v, file });
      }
    } catch {
      out.unreadable.push(file);
    }
  }
  return out;
}

/** group/kind/namespace/name: the API server's identity of an object (the version is not part of it). */
export function objectKey(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return [group, o.kind, o.metadata.namespace ?? '', o.metadata.name].join('/');
}

export interface Orphans {
  /** Objects to delete from the cluster by hand (or by pruning). */
  objects: PreviousObject[];
  /** Bootstrap pull Secrets found in the old directory: not rendered there any more, but never to be deleted. */
  bootstrap: PreviousObject[];
}

export function findOrphans(previous: PreviousRender, next: RenderedFile[]): Orphans {
  const fresh = new Set(next.flatMap((f) => f.objects.map(objectKey)));
  const seen = new Set<string>();
  const out: Orphans = { objects: [], bootstrap: [] };
  for (const p of previous.objects) {
    const key = objectKey(p.object);
    if (fresh.has(key) || seen.has(key)) continue;
    seen.add(key);
    // The live pull Secret belongs to the refresher now; deleting it would stop image pulls.
    if (p.object.metadata.annotations && (p.object.metadata.annotations as Record<string, unknown>)[BOOTSTRAP_ANNOTATION] === 'true') out.bootstrap.push(p);
    else out.objects.push(p);
  }
  return out;
}

/** `kubectl delete [-n NS] kind[.group]/name`: the group makes the resource unambiguous. */
export function deleteCommand(o: KubeObject, opts: { context?: string } = {}): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const resource = `${o.kind.toLowerCase()}${group ? `.${group}` : ''}/${o.metadata.name}`;
  const context = opts.context ? ` --context ${opts.context}` : '';
  const ns = o.metadata.namespace ? ` -n ${o.metadata.namespace}` : '';
  const warn = o.kind === 'Namespace' ? '   # deletes everything in the namespace' : '';
  return `kubectl${context} delete${ns} ${resource}${warn}`;
}

/**
 * The lines printed after a render replaced `dir`. `label` names the directory (and, for a fleet,
 * the cluster); `context` goes into each command when known.
 */
export function orphanReport(orphans: Orphans, previous: PreviousRender, opts: { label: string; context?: string }): string[] {
  const lines: string[] = [];
  if (orphans.objects.length > 0) {
    const n = orphans.objects.length;
    lines.push(
      `warning: ${n} object${n === 1 ? ' is' : 's are'} no longer rendered into ${opts.label} but stay${n === 1 ? 's' : ''} in the cluster until deleted ` +
        '(kubectl apply never removes anything; engines with pruning on, and kubectl apply --prune, delete them at the next apply):',
    );
    for (const o of orphans.objects) lines.push(`  ${deleteCommand(o.object, { context: opts.context })}`);
  }
  for (const b of orphans.bootstrap) {
    lines.push(
      `note: ${opts.label}/${b.file} (the bootstrap pull Secret ${b.object.metadata.namespace}/${b.object.metadata.name}) is no longer written into the rendered directory; ` +
        'the Secret in the cluster belongs to the refresher now: do not delete it.',
    );
  }
  for (const f of previous.unreadable) lines.push(`warning: ${opts.label}/${f} could not be parsed; objects it held are not compared with the new render`);
  return lines;
}
