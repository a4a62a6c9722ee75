import type { CommandModule } from 'yargs';
import { main as runKrmProcess, USAGE } from '../../krm/main';

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
      .epilogue(USAGE)
      .example('kpt fn eval DIR --exec "jcrkit fn" -- registry.name=pocexam registry.region=cn-north-1', 'render into DIR/jcrkit/ with dotted config keys')
      .example('kpt fn source DIR | $0 fn', 'run on a ResourceList by hand'),
  handler: async () => {
    process.exitCode = await runKrmProcess([]);
  },
};
