#!/usr/bin/env node
// The `jcrkit` CLI entry (package.json "bin"): runs the bundled CLI, build/bundle/jcrkit.js
// (`npm run build`; scripts/bundle.js), which needs nothing else on disk.
'use strict';
require('../build/bundle/jcrkit.js').run(process.argv.slice(2));
