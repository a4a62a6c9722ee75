#!/usr/bin/env node
// @ts-check
/**
 * `npm run build`'s last step: one esbuild bundle per front door, each a single CommonJS file with
 * every dependency inside, so it runs on a stock Node image without node_modules:
 *
 *   build/bundle/jcrkit.js      the CLI          (bin/jcrkit.js; an Argo CD plugin runs it directly)
 *   build/bundle/jcrkit-fn.js   the KRM function (bin/jcrkit-fn.js)
 *   build/bundle/cdk8s-app.js   the cdk8s app    (cdk8s.yaml `app:`)
 *
 * The refresher is bundled before this, by lib/refresher/bundle.ts, into
 * build/refresher/jcrkit-refresher.js; its text is embedded here (JCRKIT_REFRESHER_BUNDLE), so a
 * bundle renders the refresher's ConfigMap without that file beside it.
 *
 * Why each setting:
 * - Commands import their handlers with `await import()`; esbuild turns each such module, and
 *   everything only it imports, into a function run on first use (its `__esm` wrappers), so a
 *   process initialises only what its command needs.
 * - yargs 18 is ESM-only and finds its files through `import.meta.url`, which CommonJS output does
 *   not have; `importMetaUrl` stands in (the bundle's own file URL). yargs then finds no locale
 *   files beside the bundle and prints its English built-in messages, as it does for `en`.
 * - JCRKIT_VERSION replaces yargs' package.json lookup, which starts from the running file and
 *   would find no package.json (or a wrong one) next to a lone bundle.
 * - zod's locales: zod 4 exports every locale from its namespace object (`z.locales`), so none
 *   can be tree-shaken; jcrkit's messages are English and it never selects a locale, so only
 *   `en` (zod's default, set by zod itself) is kept. About a third of zod's bytes.
 * - string-width (in yargs and cliui) builds an `Intl.Segmenter` and Unicode-property regular
 *   expressions when it is imported, the largest single cost of loading yargs, and its first
 *   non-ASCII string compiles the RGI-emoji expression, the largest cost of printing --help. It
 *   lays out --help and error text only, so a stand-in answers strings of single-width
 *   characters itself (SINGLE_WIDTH: printable ASCII plus the Latin-1 and punctuation characters
 *   jcrkit's help uses, each 1 column in both string-width copies; test/bundle/bundle.test.ts
 *   checks that) and loads the real module on the first other string.
 * - Minified whitespace and syntax: V8 pre-parses the whole file on every start, so its size is
 *   start-up time. Names are kept, for readable stack traces.
 * - No dates, no absolute paths (absWorkingDir): the same checkout builds the same bytes.
 *
 * Each file is then scripts/bundle-loader.js followed by the esbuild output as line comments
 * (`//` before every line). Node.js loads the file, V8 skips the comments, and the loader
 * compiles the program with a V8 code cache: the first run of a command compiles it, later runs
 * load the compiled code. Without that, V8 pre-parses all of every bundle on every start (about a
 * third of `jcrkit --version`, a fifth of a render). One file still, run directly or required.
 */
'use strict';
const { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename, dirname, join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const esbuild = /** @type {typeof import('esbuild')} */ (require(require.resolve('esbuild', { paths: [ROOT] })));

const ENTRIES = [
  { entry: 'lib/cli/bundle-entry.ts', out: 'build/bundle/jcrkit.js', executable: true },
  { entry: 'lib/krm/bundle-entry.ts', out: 'build/bundle/jcrkit-fn.js', executable: true },
  { entry: 'main.ts', out: 'build/bundle/cdk8s-app.js', executable: false },
];
const REFRESHER_BUNDLE = 'build/refresher/jcrkit-refresher.js';
/** Where the loader finds the program (scripts/bundle-loader.js has the same text). */
const PROGRAM_MARK = '\n//# jcrkit program\n';

/** Strings made only of these characters are as wide as they are long (see above). */
const SINGLE_WIDTH = /^[\u0020-\u007E\u00A0-\u00A8\u00AA-\u00AC\u00AF-\u00FF\u2010-\u2027\u2190-\u2193]*$/;

/** Resolves `string-width` to a stand-in that loads the real module on the first string it cannot answer. */
const lazyStringWidth = {
  name: 'lazy-string-width',
  /** @param {import('esbuild').PluginBuild} build */
  setup(build) {
    // ESM imports only (yargs, cliui, wrap-ansi); cli-progress require()s an older, CommonJS copy
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.kind !== 'import-statement' || args.pluginData === 'real') return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length) return { errors: real.errors };
      return { path: relative(ROOT, real.path), namespace: 'lazy-string-width', pluginData: real.path };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: `let real;
export default function stringWidth(string, options) {
  if (typeof string === 'string' && ${SINGLE_WIDTH}.test(string)) return string.length;
  real ??= require('./${basename(args.pluginData)}').default;
  return real(string, options);
}`,
      resolveDir: dirname(args.pluginData),
      loader: 'js',
    }));
  },
};

/** zod's locale index with English only (see above). */
const zodEnglishOnly = {
  name: 'zod-english-only',
  /** @param {import('esbuild').PluginBuild} build */
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
    }));
  },
};

async function main() {
  const refresher = readFileSync(join(ROOT, REFRESHER_BUNDLE), 'utf8');
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const loader = readFileSync(join(__dirname, 'bundle-loader.js'), 'utf8');
  if (!loader.includes(JSON.stringify(PROGRAM_MARK).slice(1, -1))) throw new Error('scripts/bundle-loader.js does not look for the program mark');
  // code caches of the previous build are keyed by its sizes and mtimes: drop them
  rmSync(join(ROOT, 'build', 'bundle', '.v8-cache'), { recursive: true, force: true });
  for (const { entry, out, executable } of ENTRIES) {
    const outfile = join(ROOT, out);
    mkdirSync(dirname(outfile), { recursive: true });
    const result = await esbuild.build({
      entryPoints: [join(ROOT, entry)],
      outfile,
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: false,
      legalComments: 'eof',
      banner: { js: 'var importMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
      define: {
        'import.meta.url': 'importMetaUrl',
        JCRKIT_VERSION: JSON.stringify(version),
        JCRKIT_REFRESHER_BUNDLE: JSON.stringify(refresher),
      },
      plugins: [lazyStringWidth, zodEnglishOnly],
      logLevel: 'warning',
      write: false,
    });
    if (result.errors.length) throw new Error(`${entry}: ${result.errors.map((e) => e.text).join('; ')}`);
    const program = result.outputFiles[0].text;
    // a line comment ends at any JavaScript line terminator; esbuild escapes them in strings
    if (/[\r\u2028\u2029]/.test(program)) throw new Error(`${entry}: the bundle has a line terminator other than \\n; it cannot be stored as line comments`);
    const file = `${executable ? '#!/usr/bin/env node\n' : ''}${loader.trimEnd()}${PROGRAM_MARK}${program.replace(/^/gm, '//')}`;
    writeFileSync(outfile, file);
    if (executable) chmodSync(outfile, 0o755);
    const bytes = Buffer.byteLength(file);
    process.stdout.write(`${out} ${bytes} bytes\n`);
  }
}

module.exports = { ENTRIES, SINGLE_WIDTH };

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`bundle: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
  });
}
