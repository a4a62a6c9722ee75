/**
 * `jcrkit mirror`, run: flags → mirror options, progress on a terminal, the report (table or
 * JSON) and one-line errors with a fix. --from-config loads the config schema and the JD Cloud
 * client on demand, so a plain SRC DST copy starts with the registry client alone.
 */
import { readFileSync } from 'node:fs';
import {
  mirrorMany,
  parseCredentials,
  parseSourceMirrorArg,
  type MirrorFormat,
  type MirrorPair,
  type SourceMirrors,
  parseImageReference,
  type CredentialProvider,
  type Credentials,
  type ImageResult,
  type MirrorEvent,
  type MirrorOptions,
  type MirrorReport,
} from '../../registry';
import { RESTORE_TERMINAL, createProgressLines, type ProgressRenderer } from '../render/mirror-lines';
import { formatPlan, formatReportTable } from '../render/mirror-report';
import { UsageError } from '../../core/errors';
import { ProxyResolver, proxySettingsFromEnv, type ProxySettings } from '../../core/proxy';
import { readSecretFromStdin } from '../../core/stdin';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import { runCommand } from '../run-command';

export interface MirrorArgs extends ConfigArgs, CloudArgs, OutputArgs {
  src?: string;
  dst?: string;
  'from-config'?: boolean;
  file?: string;
  format?: MirrorFormat;
  'source-mirror'?: string[];
  platform?: string;
  jobs: number;
  retries: number;
  insecure?: boolean;
  'src-insecure'?: boolean;
  'dest-insecure'?: boolean;
  'src-creds'?: string;
  'dest-creds'?: string;
  'src-password-stdin'?: boolean;
  'dest-password-stdin'?: boolean;
  authfile?: string;
  'dry-run'?: boolean;
}

/**
 * The root CLI's credential hook: JCR hosts get a temporary token when JDCLOUD_ACCESS_KEY and
 * JDCLOUD_SECRET_KEY are set (lib/cloud/jcr-credentials.ts, which answers undefined for any other
 * host or without the keys). Without the keys the JD Cloud client is never loaded.
 */
export function jcrHostCredentials(env: NodeJS.ProcessEnv, proxy?: string): CredentialProvider {
  let provider: Promise<CredentialProvider> | undefined;
  return async (host, request) => {
    if (!env.JDCLOUD_ACCESS_KEY?.trim() || !env.JDCLOUD_SECRET_KEY?.trim()) return undefined;
    provider ??= import('../../cloud/jcr-credentials').then((m) => m.jcrHostCredentialProvider({ env, proxy }));
    return (await provider)(host, request);
  };
}

export interface MirrorIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** password source for --*-password-stdin (default: process stdin) */
  readPassword?: (what: string) => Promise<string>;
  /** credential hook, e.g. the JCR integration's temporary-token fetcher */
  credentialsFor?: CredentialProvider;
  /** engine overrides for tests (sleep, etc.) */
  engine?: Partial<MirrorOptions>;
  /** environment for --from-config (JD Cloud credentials); default process.env */
  env?: NodeJS.ProcessEnv;
  /** receives the exit code (the command sets process.exitCode) */
  exit?: (code: number) => void;
  /** SIGINT/SIGTERM handling (the CLI passes the process's; tests may pass their own) */
  signals?: SignalHooks;
}

/** The command's work, separated from yargs so tests can call it; resolves with the exit code. */
export function mirrorHandler(args: MirrorArgs, io: MirrorIo): Promise<number> {
  return runCommand({ stderr: io.stderr, env: io.env ?? process.env, exit: io.exit }, () => mirrorRun(args, io));
}

/** Exit code after SIGINT/SIGTERM, as shells report a process killed by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

async function mirrorRun(args: MirrorArgs, io: MirrorIo): Promise<number> {
  let pairs: MirrorPair[] | undefined;
  // yargs reads `--file -` as an empty --file and a positional "-": put them back together.
  if (args.file === '' && (args.src === '-' || args.src === '')) args = { ...args, file: '-', src: args.dst, dst: undefined };
  const modes = [args['from-config'] && '--from-config', args.file !== undefined && '--file', (args.src !== undefined || args.dst !== undefined) && 'SRC DST'].filter(Boolean);
  if (modes.length > 1) {
    throw new UsageError(args['from-config'] && args.file === undefined ? '--from-config takes the images from the config; drop SRC and DST' : `${modes.join(' and ')} each name the images; use one of them`);
  }
  if (modes.length === 0 || (!args['from-config'] && args.file === undefined && (args.src === undefined || args.dst === undefined))) {
    throw new UsageError('name a source and a destination image (jcrkit mirror SRC DST), a list (--file LIST), or use --from-config');
  }
  if (args.file !== undefined) pairs = await readImageList(args.file);
  else if (!args['from-config']) {
    for (const ref of [args.src!, args.dst!]) checkReference(ref);
    pairs = [{ source: args.src!, destination: args.dst! }];
  }
  const options = await optionsFromArgs(args, io);

  const text = args.output === 'text';
  const terminal = text && !!io.stderr.isTTY;
  // On a terminal, bars; in a pipe, a line per image start and end (and per retry, below).
  // bars only on a terminal: cli-progress loads only then
  let progress: ProgressRenderer | undefined = terminal
    ? (await import('../render/mirror-progress')).createProgressBars(io.stderr as NodeJS.WritableStream)
    : text
      ? createProgressLines(io.stderr)
      : undefined;
  const warn = (line: string) => (progress ? progress.log(line) : io.stderr.write(`${line}\n`));

  const interruption = new AbortController();
  let interrupted: string | undefined;
  const restoreTerminal = () => {
    progress?.stop();
    if (terminal) io.stderr.write(RESTORE_TERMINAL);
  };
  const stopListening = io.signals
    ? io.signals.listen((signal) => {
        if (interrupted) {
          // Second signal: the user wants out now.
          restoreTerminal();
          io.signals!.exit(EXIT_INTERRUPTED);
          return;
        }
        interrupted = signal;
        restoreTerminal();
        // Bars are gone; what is left to say goes out as lines.
        progress = text ? createProgressLines(io.stderr) : undefined;
        io.stderr.write(`${signal}: stopping — closing upload sessions; ${signal === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again quits at once\n`);
        interruption.abort();
      })
    : () => undefined;
  options.signal = interruption.signal;
  options.onEvent = (event: MirrorEvent) => {
    progress?.onEvent(event);
    if (!text) return;
    if (event.type === 'retry') {
      const n = event.notice;
      warn(`warning: ${n.what} on ${n.registry}: ${n.reason}; retry ${n.attempt} in ${(n.delayMs / 1000).toFixed(1)}s`);
    } else if (event.type === 'note') {
      warn(`warning: ${event.image}: ${event.message}`);
    }
  };

  let report: MirrorReport;
  let digestsYaml = '';
  try {
    if (args['from-config']) {
      const fromConfig = await mirrorStackImages(args, options, io, warn);
      report = fromConfig.report;
      digestsYaml = fromConfig.digestsYaml;
    } else {
      report = await mirrorMany(pairs!, options);
    }
  } finally {
    if (!interrupted) progress?.stop();
    stopListening();
  }

  const failed = report.images.filter((i) => i.status === 'failed');
  for (const image of failed) io.stderr.write(`error: ${describeFailure(image, args)}\n`);
  if (failed.length > 0 && report.images.length > 1) {
    io.stderr.write(`error: ${failed.length} of ${report.images.length} images failed: ${failed.map((i) => i.source).join(', ')}\n`);
  }
  if (interrupted) {
    const done = report.images.filter((i) => i.status === 'copied' || i.status === 'unchanged' || i.status === 'planned');
    const notDone = report.images.filter((i) => i.status === 'cancelled');
    io.stderr.write(`interrupted by ${interrupted}: ${done.length} of ${report.images.length} images done${done.length ? ` (${done.map((i) => i.destination).join(', ')})` : ''}; not done: ${notDone.length ? notDone.map((i) => i.source).join(', ') : 'none'}\n`);
  }
  if (args.output === 'json') {
    io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    if (report.dryRun) io.stdout.write(formatPlan(report));
    io.stdout.write(formatReportTable(report));
    const converted = report.images.filter((i) => i.convertedTo && i.sourceDigest);
    if (converted.length > 0) {
      io.stdout.write(`\n# converted to ${converted[0].convertedTo === 'docker' ? 'Docker schema 2' : 'OCI'}: the destination digests differ from the source's\n`);
      for (const i of converted) io.stdout.write(`#   ${i.destination}: ${i.digest} (source ${i.sourceDigest})\n`);
    }
    if (digestsYaml) io.stdout.write(`\n# paste into the config to reference these images by digest (with images.pinDigests: true):\n${digestsYaml}`);
  }
  if (interrupted) return EXIT_INTERRUPTED;
  return report.ok ? 0 : 1;
}

/** `--file LIST`, read and checked whole before anything is copied. */
async function readImageList(file: string): Promise<MirrorPair[]> {
  // the list parser (and yaml) load only for --file
  let text: string;
  try {
    // `-`: the list on stdin (`… | jcrkit mirror --file -`)
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Fix: check the path`);
  }
  const { ImageListError, parseImageList } = await import('../../registry/image-list');
  try {
    return parseImageList(text, file === '-' ? 'stdin' : file);
  } catch (err) {
    if (err instanceof ImageListError) throw new UsageError(err.message);
    throw err;
  }
}

/** Process signals as the handler sees them; injectable so tests can interrupt a run. */
export interface SignalHooks {
  /** call `onSignal` on SIGINT and SIGTERM until the returned function is called */
  listen(onSignal: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
  exit(code: number): void;
}

export const processSignals: SignalHooks = {
  listen(onSignal) {
    const int = () => onSignal('SIGINT');
    const term = () => onSignal('SIGTERM');
    process.on('SIGINT', int);
    process.on('SIGTERM', term);
    return () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
    };
  },
  exit: (code) => process.exit(code),
};

/**
 * `--from-config`: the config's images (the same list the renderer uses, so the manifests
 * reference exactly what lands in JCR), repositories ensured through the cr API, the JCR host
 * logged in with a temporary token. Throws when it cannot start (bad config, no credentials).
 */
async function mirrorStackImages(args: MirrorArgs, options: MirrorOptions, io: MirrorIo, log: (line: string) => void) {
  const env = io.env ?? process.env;
  const [{ loadConfigFromArgs }, { cloudClient }, { mirrorFromConfig }, { CrApi }] = await Promise.all([
    import('./args'),
    import('../../cloud/client'),
    import('../../cloud/mirror-from-config'),
    import('../../jdcloud/cr'),
  ]);
  const { config } = loadConfigFromArgs(args, env);
  const { client } = cloudClient({ env, endpoint: args.endpoint, proxy: args.proxy });
  const cr = new CrApi(client, { service: config.registry.crService });
  const result = await mirrorFromConfig(config, { cr, mirror: options, log: args.output === 'text' ? log : undefined });
  if (args.output === 'text' && result.pairs.length === 0) log('the config renders no image with an upstream source; nothing to mirror');
  return result;
}

/** A malformed image reference is bad input (exit 2), found before any connection. */
function checkReference(ref: string): void {
  try {
    parseImageReference(ref);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. Fix: write [registry/]repository[:tag|@digest], e.g. docker.io/library/nginx:1.25`);
  }
}

async function credentialsFromFlag(flag: string, value: string | undefined, fromStdin: boolean | undefined, io: MirrorIo): Promise<Credentials | undefined> {
  if (fromStdin) {
    if (!value || value.includes(':')) throw new UsageError(`--${flag}-password-stdin needs --${flag}-creds USER (the user name only)`);
    const read = io.readPassword ?? readSecretFromStdin;
    return { username: value, password: await read(`--${flag}-password-stdin`) };
  }
  if (value === undefined) return undefined;
  try {
    return parseCredentials(value);
  } catch {
    throw new UsageError(`--${flag}-creds must be USER:PASSWORD (or USER together with --${flag}-password-stdin)`);
  }
}

export async function optionsFromArgs(args: MirrorArgs, io: MirrorIo): Promise<MirrorOptions> {
  if (!Number.isInteger(args.jobs) || args.jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1, got ${args.jobs}`);
  if (!Number.isInteger(args.retries) || args.retries < 0) throw new UsageError(`--retries must be a whole number of at least 0, got ${args.retries}`);
  if (args['src-password-stdin'] && args['dest-password-stdin']) {
    throw new UsageError('stdin can carry only one password: use --src-password-stdin or --dest-password-stdin, and --*-creds USER:PASSWORD or --authfile for the other');
  }
  return {
    platform: args.platform,
    jobs: args.jobs,
    retries: args.retries,
    insecure: args.insecure,
    sourceInsecure: args['src-insecure'],
    destinationInsecure: args['dest-insecure'],
    sourceCredentials: await credentialsFromFlag('src', args['src-creds'], args['src-password-stdin'], io),
    destinationCredentials: await credentialsFromFlag('dest', args['dest-creds'], args['dest-password-stdin'], io),
    credentialsFor: io.credentialsFor,
    authFile: args.authfile,
    proxy: proxySettingsFromArgs(args, io),
    format: args.format,
    sourceMirrors: sourceMirrorsFromArgs(args['source-mirror']),
    dryRun: args['dry-run'],
    ...io.engine,
  };
}

function sourceMirrorsFromArgs(values: string[] | undefined): SourceMirrors | undefined {
  if (!values?.length) return undefined;
  const mirrors: SourceMirrors = {};
  for (const value of values) {
    try {
      const [registry, location] = parseSourceMirrorArg(value);
      mirrors[registry] = location;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return mirrors;
}

/** HTTP(S)_PROXY / NO_PROXY of the environment, `--proxy` over both; checked here so a bad one is exit 2. */
function proxySettingsFromArgs(args: MirrorArgs, io: MirrorIo): ProxySettings {
  const settings = proxySettingsFromEnv(io.env ?? process.env, args.proxy);
  try {
    new ProxyResolver(settings);
  } catch (err) {
    throw new UsageError(args.proxy ? (err as Error).message.replace(/^HTTPS?_PROXY/, '--proxy') : (err as Error).message);
  }
  return settings;
}

/** One line: which image, what went wrong, and what to do about it when we can tell. */
export function describeFailure(image: ImageResult, args: Pick<MirrorArgs, 'insecure' | 'src-insecure' | 'dest-insecure'>): string {
  const error = image.error!;
  let line = `mirror of ${image.source} to ${image.destination} failed: ${error.message}`;
  const host = error.registry ?? 'the registry';
  const side = error.side === 'source' ? 'src' : error.side === 'destination' ? 'dest' : undefined;
  const credsFlags = side ? `--${side}-creds USER:PASSWORD (or --${side}-creds USER --${side}-password-stdin)` : '--src-creds/--dest-creds USER:PASSWORD';
  switch (error.code) {
    case 'auth-required':
    case 'auth-rejected':
      line += `; pass credentials for ${host} with ${credsFlags}, --authfile FILE, or log in with \`docker login ${host}\``;
      break;
    case 'access-denied':
      line += `; the account needs pull rights on the source and push rights on the destination repository`;
      break;
    case 'digest-mismatch':
    case 'size-mismatch':
      line += '; nothing was tagged at the destination';
      break;
    case 'network': {
      const insecure = args.insecure || (error.side === 'source' ? args['src-insecure'] : args['dest-insecure']);
      if (!insecure && /EPROTO|wrong version number|ECONNREFUSED|certificate|self.signed/i.test(error.message)) {
        line += '; if the registry speaks plain HTTP or has a self-signed certificate, add --insecure';
      }
      break;
    }
    default:
      break;
  }
  return line;
}
