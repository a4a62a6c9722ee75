#!/usr/bin/env node
// The `jcrkit` CLI entry (package.json "bin"): runs the compiled CLI from build/ (`npm run build`).
require('../build/lib/cli/main.js').main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`error: ${e && e.message ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
