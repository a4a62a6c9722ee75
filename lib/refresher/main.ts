/**
 * Entry point of the in-cluster refresher, bundled by esbuild into one dependency-free file
 * (bundle.ts) that the CronJob runs as `node /opt/jcrkit/jcrkit-refresher.js`.
 * Exit codes (lib/core/errors.ts): 0 done; 1 failed (no usable token, nothing written; or some
 * namespaces failed, the rest done); 2 bad input (plan, environment, no in-cluster identity).
 */
import { runPod } from './pod';
import { redactorFromEnv } from '../core/redact';

runPod(process.env, process.stdout).then(
  (code) => {
    // exitCode rather than exit(): let stdout drain so the last log line is not lost
    process.exitCode = code;
  },
  (err: unknown) => {
    // runPod catches everything it expects; this is a bug. Still never print AK/SK.
    const redactor = redactorFromEnv(process.env);
    process.stdout.write(JSON.stringify({ level: 'error', msg: `refresher crashed: ${redactor.describe(err)}` }) + '\n');
    process.exitCode = 1;
  },
);
