#!/usr/bin/env node
// The `jcrkit` CLI entry (package.json "bin"): runs the compiled CLI from build/ (`npm run build`).
'use strict';
const { join } = require('node:path');

const build = join(__dirname, '..', 'build', 'lib');
require(join(build, 'core', 'closed-stdout.js')).endQuietlyOnClosedPipe(process.stdout, process.stderr);
const { errorText, exitCodeFor } = require(join(build, 'core', 'errors.js'));
require(join(build, 'cli', 'main.js'))
  .main(process.argv.slice(2))
  .catch((e) => {
    // every command reports its own errors; this is the last resort for a crash
    process.stderr.write(errorText(e));
    process.exitCode = exitCodeFor(e);
  });
