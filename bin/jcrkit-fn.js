#!/usr/bin/env node
// jcrkit as a KRM function (kpt `--exec`, Kptfile `exec:`, kustomize exec generator): a
// ResourceList on stdin, a ResourceList on stdout. Runs the bundled function,
// build/bundle/jcrkit-fn.js (`npm run build`); the path is resolved from this file, so any working
// directory works (kustomize runs exec functions in the kustomization directory, kpt in its own).
'use strict';
const { join } = require('node:path');

let fn;
try {
  fn = require(join(__dirname, '..', 'build', 'bundle', 'jcrkit-fn.js'));
} catch (e) {
  process.stderr.write(`error: jcrkit-fn cannot load the bundled function (${e && e.message ? e.message.split('\n')[0] : e}). Fix: run \`npm run build\` in ${join(__dirname, '..')}\n`);
  process.exit(1);
}
fn.run(process.argv.slice(2));
