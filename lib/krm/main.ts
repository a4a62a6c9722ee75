/**
 * The KRM function as a process (`bin/jcrkit-fn.js`, `jcrkit fn`): stdin → runFunction → stdout,
 * stderr, exit code.
 *
 * "Unstructured errors and logs only to stderr" (KRM Functions Specification): while it runs, the
 * console is pointed at stderr so nothing a library prints can corrupt the ResourceList on stdout.
 *
 * Two callers besides the spec's ResourceList-on-stdin:
 * - kustomize *legacy exec plugins* (the only exec plugins `kubectl kustomize` can run: its embedded
 *   kustomize has no --enable-exec and silently skips `config.kubernetes.io/function` exec
 *   generators). kustomize runs the plugin with the path of a temp copy of the config as the only
 *   argument and the same text in KUSTOMIZE_PLUGIN_CONFIG_STRING (kustomize
 *   `api/internal/plugins/execplugin/execplugin.go`); it reads a ResourceList back fine.
 * - people at a terminal, who get a hint instead of a process waiting on stdin.
 */
import { Document, isMap, LineCounter, parseDocument } from 'yaml';
import { CONFIG_YAML_OPTIONS, ConfigError, readConfigFile } from '../config';
import { EXIT_BAD_INPUT, EXIT_OK } from '../core/errors';
import { RESOURCE_LIST_V1 } from './resource-list';
import { inputErrorOutput, RunOutput, runFunction } from './run';

export const USAGE = `jcrkit-fn: a KRM function. It reads a ResourceList (or a plain YAML stream) on stdin and writes a ResourceList to stdout.
  kpt fn eval DIR --exec ./bin/jcrkit-fn.js -- registry.name=NAME registry.region=cn-north-1
  kpt fn render DIR --allow-exec              (Kptfile pipeline.mutators: - exec: ...)
  kustomize build --enable-alpha-plugins --enable-exec DIR   (generators: [jcrkit.yaml])
  KUSTOMIZE_PLUGIN_HOME=$PWD/examples/kustomize/plugins kubectl kustomize --enable-alpha-plugins DIR
  cat resource-list.yaml | jcrkit-fn
  Exit codes: 0 done; 1 the function failed; 2 bad input (ResourceList or functionConfig); details in results
`;

export interface ProcessIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function main(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env, io: ProcessIO = process): Promise<number> {
  const restore = redirectConsole(io.stderr);
  // A reader that goes away early (`| head`) is not our error; without a listener Node would crash
  // on EPIPE with a stack trace.
  const ignoreEpipe = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  };
  io.stdout.on('error', ignoreEpipe);
  try {
    let input: string | Uint8Array | RunOutput;
    const legacyConfig = legacyPluginConfig(argv, env);
    if (legacyConfig !== undefined) {
      input = legacyPluginInput(legacyConfig);
    } else if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    } else if (argv.length > 0) {
      io.stderr.write(`error: unexpected arguments: ${argv.join(' ')}. The config comes from the ResourceList's functionConfig.\n${USAGE}`);
      return EXIT_BAD_INPUT;
    } else if (io.stdin.isTTY) {
      io.stderr.write(`error: stdin is a terminal; pipe a ResourceList in.\n${USAGE}`);
      return EXIT_BAD_INPUT;
    } else {
      input = await readBytes(io.stdin);
    }
    if (env.JCR_PASSWORD) {
      io.stderr.write('note: JCR_PASSWORD is ignored by the KRM function: the pull Secret it would render ends up in files and Git. Use `jcrkit synth --password-stdin` for the bootstrap Secret.\n');
    }
    const out = typeof input === 'string' || input instanceof Uint8Array ? runFunction(input) : input;
    io.stderr.write(out.stderr);
    await new Promise<void>((resolve) => io.stdout.write(out.outputText, () => resolve()));
    return out.exitCode;
  } finally {
    restore();
  }
}

/** Stdin as bytes: runFunction decodes them strictly (not UTF-8 is an error, never U+FFFD). */
async function readBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * The config text when called as a kustomize legacy exec plugin (`JcrKit <config-file>`), else
 * undefined; the file is read like a config file (regular file, size cap, UTF-8), and a file that
 * cannot be read is the answer itself: an error ResourceList.
 */
function legacyPluginConfig(argv: string[], env: NodeJS.ProcessEnv): string | RunOutput | undefined {
  if (argv.length < 1 || env.KUSTOMIZE_PLUGIN_CONFIG_STRING === undefined) return undefined;
  if (env.KUSTOMIZE_PLUGIN_CONFIG_STRING) return env.KUSTOMIZE_PLUGIN_CONFIG_STRING;
  try {
    return readConfigFile(argv[0], 'kustomize (the plugin config file)');
  } catch (e) {
    if (e instanceof ConfigError) return inputErrorOutput(e.message.replace(/\n\s*/g, ' '));
    throw e;
  }
}

/**
 * The ResourceList a KRM orchestrator would have sent for that config: no items, the config as
 * functionConfig. The config's YAML node is moved over as it is (not converted to data and back),
 * so the function reads it with the config rules: its tags and aliases are judged there.
 */
function legacyPluginInput(config: string | RunOutput): string | RunOutput {
  if (typeof config !== 'string') return config;
  const parsed = parseDocument(config, { ...CONFIG_YAML_OPTIONS, lineCounter: new LineCounter() });
  if (parsed.errors.length > 0) {
    return inputErrorOutput(`the kustomize plugin config is not valid YAML: ${parsed.errors[0].message.split('\n')[0].replace(/:$/, '')}. Fix: correct the generator file kustomization.yaml lists`);
  }
  if (!isMap(parsed.contents)) return inputErrorOutput('the kustomize plugin config is not a mapping. Fix: write a JcrKit object (apiVersion: jcrkit.io/v1alpha1, kind: JcrKit, spec: ...)');
  const list = new Document({ apiVersion: RESOURCE_LIST_V1, kind: 'ResourceList', items: [] });
  list.set('functionConfig', parsed.contents);
  return list.toString({ lineWidth: 0 });
}

function redirectConsole(stderr: NodeJS.WritableStream): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, debug: console.debug };
  const toStderr = (...args: unknown[]) => {
    stderr.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  };
  console.log = console.info = console.warn = console.debug = toStderr;
  return () => Object.assign(console, saved);
}
