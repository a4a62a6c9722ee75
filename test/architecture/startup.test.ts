/**
 * What a jcrkit process loads before it knows which command runs: only yargs and the command
 * definitions. A command's handler, and with it the renderer (cdk8s), the config schema (zod) or
 * a client, loads when that command runs (`await import()` in lib/cli/commands/). An eager import
 * added to a definition fails here, long before anyone notices the slower start-up.
 *
 * Reads the compiled build (`npm test` builds first), where type-only imports are gone, in a fresh
 * node so the module cache holds exactly what the requires loaded.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Files (relative to the root, node_modules packages by name) loaded by requiring `modules` in order. */
function loaded(...modules: string[]): string[] {
  const script = `${modules.map((m) => `require(${JSON.stringify(join(ROOT, m))});`).join('')}
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const files = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
  return files.map((f) => {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
    return pkg ? `package ${pkg[1]}` : f.slice(ROOT.length + 1);
  });
}

test('the CLI loads only yargs and the command definitions at start-up', () => {
  const files = [...new Set(loaded('build/lib/cli/main.js'))];
  const packages = files.filter((f) => f.startsWith('package ')).map((f) => f.slice('package '.length));
  const program = files.filter((f) => !f.startsWith('package '));
  // yargs 18 and its own dependencies only: no zod, cdk8s, yaml, cli-progress, ...
  expect(packages.filter((p) => !['yargs', 'yargs-parser', 'cliui', 'y18n', 'escalade', 'get-caller-file', 'string-width', 'strip-ansi', 'ansi-regex', 'wrap-ansi', 'ansi-styles', 'emoji-regex', 'get-east-asian-width'].includes(p))).toEqual([]);
  // the definitions, their option groups, the one runner (its error-only imports load on an error) and lib/core's light helpers
  expect(
    program.filter(
      (f) =>
        !/^build\/lib\/cli\/(main|run-command|commands\/[a-z-]+|options\/[a-z-]+)\.js$/.test(f) &&
        !['build/lib/cloud/up-steps.js', 'build/lib/core/package-root.js', 'build/lib/core/errors.js', 'build/lib/core/redact.js'].includes(f),
    ),
  ).toEqual([]);
});

test('a plain `jcrkit mirror SRC DST` loads the registry client, not the config schema, renderer, JD Cloud client or (off a terminal) progress bars', () => {
  const files = loaded('build/lib/cli/main.js', 'build/lib/cli/handlers/mirror.js');
  expect(files.filter((f) => /^package (zod|cdk8s|cdk8s-plus-27|constructs|cron-parser|luxon|yaml|cli-progress)$/.test(f))).toEqual([]);
  expect(files.filter((f) => /^build\/(lib\/(config|render|constructs|jdcloud|kube|cloud\/(?!up-steps)|krm|refresher)|charts)\//.test(f))).toEqual([]);
});
