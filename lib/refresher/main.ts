/**
 * Entry point of the in-cluster refresher, bundled by esbuild into one dependency-free file
 * (bundle.ts) that the CronJob runs as `node /opt/jcrkit/jcrkit-refresher.js`.
 * Exit codes: 0 done; 1 failed (some namespaces, or no usable token: then nothing was written); 2 bad input.
 */
import { runPod } from './pod';
import { Redactor } from './redact';

runPod(process.env, process.stdout).then(
  (code) => {
    // exitCode rather than exit(): let stdout drain so the last log line is not lost
    process.exitCode = code;
  },
  (err: unknown) => {
    // runPod catches everything it expects; this is a bug. Still never print AK/SK.
    const redactor = new Redactor().add(process.env.JDCLOUD_ACCESS_KEY).add(process.env.JDCLOUD_SECRET_KEY);
    process.stdout.write(JSON.stringify({ level: 'error', msg: `refresher crashed: ${redactor.describe(err)}` }) + '\n');
    process.exitCode = 1;
  },
);
