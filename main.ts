/**
 * The cdk8s app (cdk8s.yaml: `app: node build/bundle/cdk8s-app.js`, this file bundled): renders
 * the config named by JCRKIT_CONFIG, or the embedded default, into dist/ (or JCRKIT_OUT).
 *
 * `cdk8s synth` deletes its output directory before the app runs (cdk8s#2146), which would lose
 * dist/ on a bad config. So cdk8s.yaml points the CLI at a staging directory (build/cdk8s.out) and
 * this app validates everything first, then writes the CLI's copy and publishes dist/ atomically.
 * `cdk8s synth -o DIR` gives that up: the CLI has deleted DIR before this app starts, so nothing
 * here can keep it; the app says so and names the way that keeps it (JCRKIT_OUT=DIR).
 *
 * A password for the bootstrap pull Secret comes from env JCR_PASSWORD, never from a file, and the
 * Secret goes to JCRKIT_BOOTSTRAP_OUT (or a private temp file): never into dist/ or the CLI's
 * directory, whose files `cdk8s synth --stdout` prints.
 * Exit codes as every jcrkit front door (lib/core/errors.ts): 0 done, 1 failed, 2 bad input.
 */
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { EXIT_OK, errorText, exitCodeFor } from './lib/core/errors';
import { redactorFromEnv } from './lib/core/redact';
import { loadConfig } from './lib/config';
import { bootstrapNote, checkBootstrapPath, findOrphans, orphanReport, readPreviousRender, renderStack, writeBootstrap, writeRendered } from './lib/render';

const STAGING = 'build/cdk8s.out';

/** How cdk8s-cli called us: its own staging dir (cdk8s.yaml), a temp dir for --stdout, or `-o DIR`. */
function cliMode(outdir: string): 'staging' | 'stdout' | 'output' {
  if (resolve(outdir) === resolve(STAGING)) return 'staging';
  // cdk8s-cli --stdout: mkdtemp(os.tmpdir()/cdk8s-XXXXXX), printed and removed afterwards.
  if (resolve(dirname(outdir)) === resolve(tmpdir()) && basename(outdir).startsWith('cdk8s-')) return 'stdout';
  return 'output';
}

function main(): number {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const mode = process.env.CDK8S_OUTDIR === undefined ? 'staging' : cliMode(outdir);
  const publish = process.env.JCRKIT_OUT || 'dist';
  try {
    const password = process.env.JCR_PASSWORD || undefined;
    const bootstrapTarget = { path: process.env.JCRKIT_BOOTSTRAP_OUT || undefined, renderedDirs: [publish, outdir], via: 'JCRKIT_BOOTSTRAP_OUT' };
    checkBootstrapPath(bootstrapTarget);
    const loaded = loadConfig();
    const { files, bootstrap, notes } = renderStack(loaded.config, { password });
    const report: string[] = [];
    if (mode === 'staging') {
      const previous = readPreviousRender(publish);
      writeRendered(publish, files);
      report.push(...orphanReport(findOrphans(previous, files), previous, { label: `${publish}/` }));
    }
    if (mode === 'stdout') {
      // cdk8s-cli concatenates the files it finds without a `---` between them (cdk8s-cli#943),
      // which is not valid YAML; one file holding every document keeps the stream valid.
      writeRendered(outdir, [{ path: 'jcrkit.k8s.yaml', objects: files.flatMap((f) => f.objects), yaml: files.map((f) => f.yaml).join('---\n') }]);
    } else {
      writeRendered(outdir, files);
    }
    if (mode === 'output') {
      report.push(
        `warning: cdk8s synth -o ${outdir} deleted ${outdir} before jcrkit ran, so a bad config leaves it deleted and objects that are no longer rendered cannot be listed. ` +
          `To keep ${outdir} until a render succeeds: JCRKIT_OUT=${outdir} npx cdk8s synth, or jcrkit synth --out ${outdir}`,
      );
    }
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    for (const l of report) process.stderr.write(`${l}\n`);
    if (bootstrap) process.stderr.write(`${bootstrapNote(writeBootstrap(bootstrap, bootstrapTarget))}\n`);
    for (const n of notes) process.stderr.write(`${n}\n`);
    return EXIT_OK;
  } catch (e) {
    process.stderr.write(redactorFromEnv(process.env).scrub(errorText(e)));
    if (mode === 'output') {
      process.stderr.write(
        `note: cdk8s synth -o ${outdir} deleted ${outdir} before jcrkit ran (cdk8s-cli empties its output directory first); jcrkit keeps a directory only when it publishes it itself. ` +
          `Fix the error above and render again; next time use JCRKIT_OUT=${outdir} npx cdk8s synth, or jcrkit synth --out ${outdir}\n`,
      );
    }
    return exitCodeFor(e);
  }
}

process.exitCode = main();
