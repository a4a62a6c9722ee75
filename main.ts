/**
 * The cdk8s app (cdk8s.yaml: `app: node build/main.js`): renders the config named by JCRKIT_CONFIG,
 * or the embedded default, into dist/.
 *
 * `cdk8s synth` deletes its output directory before the app runs (cdk8s#2146), which would lose
 * dist/ on a bad config. So cdk8s.yaml points the CLI at a staging directory (build/cdk8s.out) and
 * this app validates everything first, then writes the CLI's copy and publishes dist/ atomically.
 * A password for the bootstrap pull Secret comes from env JCR_PASSWORD, never from a file.
 * Exit codes as every jcrkit front door (lib/core/errors.ts): 0 done, 1 failed, 2 bad input.
 */
import { resolve } from 'node:path';
import { EXIT_OK, errorText, exitCodeFor } from './lib/core/errors';
import { redactorFromEnv } from './lib/core/redact';
import { loadConfig } from './lib/config';
import { renderStack, writeRendered } from './lib/render';

const STAGING = 'build/cdk8s.out';

function main(): number {
  try {
    const loaded = loadConfig();
    const password = process.env.JCR_PASSWORD || undefined;
    const { files, notes } = renderStack(loaded.config, { password });
    const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
    if (resolve(outdir) === resolve(STAGING)) {
      writeRendered(process.env.JCRKIT_OUT ?? 'dist', files);
    }
    writeRendered(outdir, files);
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    for (const n of notes) process.stderr.write(`${n}\n`);
    return EXIT_OK;
  } catch (e) {
    process.stderr.write(redactorFromEnv(process.env).scrub(errorText(e)));
    return exitCodeFor(e);
  }
}

process.exitCode = main();
