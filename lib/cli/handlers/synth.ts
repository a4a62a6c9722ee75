/** `jcrkit synth`, run: config → renderStack → files or stdout; the bootstrap Secret to a file of its own. */
import { loadFleet } from '../../config';
import { bootstrapNote, checkBootstrapPath, findOrphans, orphanReport, readPreviousRender, RenderedFile, RenderResult, renderStack, writeBootstrap, writeRendered } from '../../render';
import { UsageError } from '../../core/errors';
import { readSecretFromStdin } from '../../core/stdin';
import type { Redactor } from '../../core/redact';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { configOverrides, loadConfigFromArgs } from './args';

export interface SynthArgs extends ConfigArgs, OutputArgs {
  out: string;
  fleet?: string;
  'password-stdin'?: boolean;
  'bootstrap-out'?: string;
  stdout?: boolean;
  quiet?: boolean;
}

export async function run(args: SynthArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  if (args.stdout && args.output === 'json') throw new UsageError('--stdout prints YAML and --output json prints a JSON summary; pick one');
  const envPassword = io.env.JCR_PASSWORD || undefined;
  const withPassword = args['password-stdin'] || envPassword !== undefined;
  if (args.stdout && withPassword) {
    throw new UsageError(
      `--stdout with a password (${args['password-stdin'] ? '--password-stdin' : 'env JCR_PASSWORD'}) would print the pull Secret's token into a stream that gets applied or committed. ` +
        "Fix: render files with --out and name the Secret's own file with --bootstrap-out, or unset JCR_PASSWORD",
    );
  }
  if (args['bootstrap-out'] !== undefined && !withPassword) {
    throw new UsageError('--bootstrap-out names the file for the pull Secret, which is rendered only with a password. Fix: add --password-stdin (or set JCR_PASSWORD), or drop --bootstrap-out');
  }
  if (args.fleet !== undefined) return synthFleet(args, io, withPassword);

  const bootstrapTarget = { path: args['bootstrap-out'], renderedDirs: args.stdout ? [] : [args.out] };
  checkBootstrapPath(bootstrapTarget);
  const loaded = loadConfigFromArgs(args, io.env);
  let password = envPassword;
  if (args['password-stdin']) password = await readSecretFromStdin('--password-stdin');
  if (password) redactor.add(password);
  const result = renderStack(loaded.config, { password });
  for (const w of loaded.warnings) io.stderr.write(`warning: ${w}\n`);
  if (args.stdout) {
    io.stdout.write(streamOf(result.files));
    if (!args.quiet) for (const n of result.notes) io.stderr.write(`${n}\n`);
    return;
  }
  const previous = readPreviousRender(args.out);
  const written = writeRendered(args.out, result.files);
  // Objects no longer rendered are warnings: printed with --quiet and with --output json too.
  for (const l of orphanReport(findOrphans(previous, result.files), previous, { label: `${args.out}/` })) io.stderr.write(`${l}\n`);
  const bootstrap = result.bootstrap ? writeBootstrap(result.bootstrap, bootstrapTarget) : undefined;
  const notes = bootstrap ? [bootstrapNote(bootstrap), ...result.notes] : result.notes;
  if (args.output === 'json') {
    writeJson(io.stdout, { source: loaded.source, out: args.out, files: written, ...(bootstrap ? { bootstrap } : {}), warnings: loaded.warnings, notes });
    return;
  }
  if (!args.quiet) io.stderr.write(`rendered ${loaded.source} into ${args.out}/: ${written.map((w) => w.slice(args.out.length + 1)).join(', ')}\n`);
  if (!args.quiet) for (const n of notes) io.stderr.write(`${n}\n`);
}

/**
 * One multi-document stream of every rendered file, for `kubectl apply -f -` or an Argo CD
 * plugin. An empty render is refused: applied with pruning (or by an engine with prune on) an empty
 * stream deletes everything the stack rendered before.
 */
export function streamOf(files: RenderedFile[]): string {
  if (files.every((f) => f.objects.length === 0)) {
    throw new Error('the config renders no objects (refresher, dashboard and admin are all disabled); an empty stream would make a pruning apply delete the stack. Fix: enable at least one part');
  }
  return files.map((f) => f.yaml).join('---\n');
}

/**
 * `--fleet FILE`: every cluster validated and rendered in memory first, then one atomic write of
 * OUT with a subdirectory per cluster, so an error in any cluster leaves OUT exactly as it was.
 */
function synthFleet(args: SynthArgs, io: CommandIo, withPassword: boolean): void {
  if (args.config !== undefined) throw new UsageError('--fleet and --config both name the config. Fix: use --fleet FILE alone; per-cluster settings go under clusters.<name> in the fleet file');
  if (withPassword) {
    throw new UsageError("--fleet renders GitOps output for many clusters, and a registry token belongs to none of it. Fix: render without a password and let each cluster's refresher create the pull Secret (or render one cluster with --config and --password-stdin)");
  }
  if (args.stdout) throw new UsageError('--fleet writes one directory per cluster. Fix: drop --stdout and name the directory with --out');
  const fleet = loadFleet(args.fleet!, { overrides: configOverrides(args).overrides });
  const rendered: { name: string; result: RenderResult }[] = fleet.clusters.map((c) => ({ name: c.name, result: renderStack(c.loaded.config) }));
  for (const c of fleet.clusters) for (const w of c.loaded.warnings) io.stderr.write(`warning: cluster ${c.name}: ${w}\n`);

  const files = rendered.flatMap(({ name, result }) => result.files.map((f) => ({ ...f, path: `${name}/${f.path}` })));
  const previous = readPreviousRender(args.out);
  const written = writeRendered(args.out, files);

  // Orphans per cluster directory, including clusters that left the fleet.
  const byCluster = new Map<string, typeof previous>();
  for (const o of previous.objects) {
    const [cluster, ...rest] = o.file.split('/');
    if (rest.length === 0) continue;
    if (!byCluster.has(cluster)) byCluster.set(cluster, { objects: [], unreadable: [] });
    byCluster.get(cluster)!.objects.push({ ...o, file: rest.join('/') });
  }
  for (const f of previous.unreadable) io.stderr.write(`warning: ${args.out}/${f} could not be parsed; objects it held are not compared with the new render\n`);
  for (const [cluster, prev] of [...byCluster].sort(([a], [b]) => a.localeCompare(b))) {
    const now = rendered.find((r) => r.name === cluster)?.result.files ?? [];
    const label = `${args.out}/${cluster}/${now.length === 0 ? ' (the cluster left the fleet)' : ''}`;
    for (const l of orphanReport(findOrphans(prev, now), prev, { label })) io.stderr.write(`${l}\n`);
  }
  if (args.output === 'json') {
    writeJson(io.stdout, { source: fleet.source, out: args.out, clusters: fleet.clusters.map((c) => c.name), files: written });
  } else if (!args.quiet) {
    io.stderr.write(`rendered ${fleet.clusters.length} cluster${fleet.clusters.length === 1 ? '' : 's'} of ${fleet.source} into ${args.out}/: ${fleet.clusters.map((c) => `${c.name}/`).join(', ')}\n`);
  }
}
