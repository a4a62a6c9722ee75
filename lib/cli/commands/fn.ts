import type { CommandModule } from 'yargs';
import { commandHandler, processIo } from '../run-command';

/**
 * `jcrkit fn`: the KRM function (lib/krm). The config comes from the ResourceList's functionConfig,
 * not from flags, so the command has no options; `bin/jcrkit-fn.js` is the same thing without the
 * CLI around it (for `exec:` paths, which take no subcommand).
 */
export const fnCommand: CommandModule<object, object> = {
  command: 'fn',
  describe: 'KRM function: read a ResourceList on stdin, write it back with the rendered stack (kpt, kustomize)',
  builder: (y) =>
    y
      .epilogue(
        'The config is the functionConfig: a JcrKit object (apiVersion jcrkit.io/v1alpha1, spec = a jcrkit config file) or a ConfigMap of dotted keys ' +
          "(kpt's -- key=value). Without one, the package's JcrKit object is used, else the embedded default. The rendered objects go to jcrkit/<file> " +
          '(the dist/ file names); a re-run replaces them. Examples: examples/kpt, examples/kustomize. bin/jcrkit-fn.js is the same function for exec: paths.',
      )
      .example('kpt fn eval DIR --exec "jcrkit fn" -- registry.name=pocexam registry.region=cn-north-1', 'render into DIR/jcrkit/ with dotted config keys')
      .example('kpt fn source DIR | $0 fn', 'run on a ResourceList by hand'),
  // the function reports its own errors as results (and on stderr) and returns the exit code
  handler: commandHandler(processIo(), async () => (await import('../../krm/main')).main([])),
};
