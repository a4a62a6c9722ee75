/**
 * The cdk8s app (cdk8s.yaml: `app: node build/main.js`): renders the config named by JCRKIT_CONFIG,
 * or the embedded default, into dist/.
 *
 * `cdk8s synth` deletes its output directory before the app runs (cdk8s#2146), which would lose
 * dist/ on a bad config. So cdk8s.yaml points the CLI at a staging directory (build/cdk8s.out) and
 * this app validates everything first, then writes the CLI's copy and publishes dist/ atomically.
 * A password for the bootstrap pull Secret comes from env JCR_PASSWORD, never from a file, and the
 * Secret goes to JCRKIT_BOOTSTRAP_OUT (or a private temp file): never into dist/ or the CLI's
 * directory, whose files `cdk8s synth --stdout` prints.
 * Exit codes as every jcrkit front door (lib/core/errors.ts): 0 done, 1 failed, 2 bad input.
 */
import { resolve } from 'node:path';
import { EXIT_OK, errorText, exitCodeFor } from './lib/core/errors';
import { redactorFromEnv } from './lib/core/redact';
import { loadConfig } from './lib/config';
import { bootstrapNote, checkBootstrapPath, findOrphans, orphanReport, readPreviousRender, renderStack, writeBootstrap, writeRendered } from './lib/render';

const STAGING = 'build/cdk8s.out';

function main(): number {
  try {
    const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
    const publish = process.env.JCRKIT_OUT || 'dist';
    const password = process.env.JCR_PASSWORD || undefined;
    const bootstrapTarget = { path: process.env.JCRKIT_BOOTSTRAP_OUT || undefined, renderedDirs: [publish, outdir], via: 'JCRKIT_BOOTSTRAP_OUT' };
    checkBootstrapPath(bootstrapTarget);
    const loaded = loadConfig();
    const { files, bootstrap, notes } = renderStack(loaded.config, { password });
    const report: string[] = [];
    if (resolve(outdir) === resolve(STAGING)) {
      const previous = readPreviousRender(publish);
      writeRendered(publish, files);
      report.push(...orphanReport(findOrphans(previous, files), previous, { label: `${publish}/` }));
    }
    writeRendered(outdir, files);
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    for (const l of report) process.stderr.write(`${l}\n`);
    if (bootstrap) process.stderr.write(`${bootstrapNote(writeBootstrap(bootstrap, bootstrapTarget))}\n`);
    for (const n of notes) process.stderr.write(`${n}\n`);
    return EXIT_OK;
  } catch (e) {
    process.stderr.write(redactorFromEnv(process.env).scrub(errorText(e)));
    return exitCodeFor(e);
  }
}

process.exitCode = main();
