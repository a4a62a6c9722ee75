#!/usr/bin/env node
// jcrkit as a KRM function (kpt `--exec`, Kptfile `exec:`, kustomize exec generator): a
// ResourceList on stdin, a ResourceList on stdout. Runs the compiled function from build/ (`npm run
// build`); the path is resolved from this file, so any working directory works (kustomize runs
// exec functions in the kustomization directory, kpt in its own).
'use strict';
const { join } = require('node:path');

const build = join(__dirname, '..', 'build', 'lib');
let fn;
let core;
try {
  core = {
    ...require(join(build, 'core', 'errors.js')),
    ...require(join(build, 'core', 'closed-stdout.js')),
  };
  fn = require(join(build, 'krm', 'main.js'));
} catch (e) {
  process.stderr.write(`error: jcrkit-fn cannot load the compiled function (${e && e.message ? e.message.split('\n')[0] : e}). Fix: run \`npm run build\` in ${join(__dirname, '..')}\n`);
  process.exit(1);
}
core.endQuietlyOnClosedPipe(process.stdout, process.stderr);
fn.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(core.errorText(e));
    process.exitCode = core.exitCodeFor(e);
  },
);
