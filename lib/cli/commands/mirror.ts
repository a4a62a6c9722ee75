/**
 * `jcrkit mirror SRC DST`: copy an image (every platform by default) between registries without a
 * Docker daemon. The copying is lib/registry's; this module turns flags into options, draws
 * progress on a terminal, and prints the report (table or JSON) and one-line errors with a fix.
 */
import type { Argv, CommandModule } from 'yargs';
import {
  mirrorMany,
  parseCredentials,
  type CredentialProvider,
  type Credentials,
  type ImageResult,
  type MirrorEvent,
  type MirrorOptions,
  type MirrorReport,
} from '../../registry';
import { createProgressBars, type ProgressRenderer } from '../render/mirror-progress';
import { formatPlan, formatReportTable } from '../render/mirror-report';
import { UsageError } from '../../core/errors';
import { readSecretFromStdin } from '../../core/stdin';
import { cloudClient } from '../../cloud/client';
import { jcrHostCredentialProvider } from '../../cloud/jcr-credentials';
import { mirrorFromConfig } from '../../cloud/mirror-from-config';
import { CrApi } from '../../jdcloud/cr';
import { parseImageReference } from '../../registry';
import { CloudArgs, withCloudOptions } from '../options/cloud';
import { ConfigArgs, IMAGE_FLAGS, loadConfigFromArgs, withConfigOptions } from '../options/config';
import { OutputArgs, withOutputOption } from '../options/output';
import { runCommand } from '../run-command';

export interface MirrorArgs extends ConfigArgs, CloudArgs, OutputArgs {
  src?: string;
  dst?: string;
  'from-config'?: boolean;
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
 * The command, with an optional credential hook: the root CLI can pass the JCR integration's
 * temporary-token fetcher so `jcrkit mirror … my-jcr-host/…` logs in by itself (and fetches a new
 * token when the registry says 401 mid-run).
 */
export function createMirrorCommand(hooks: { credentialsFor?: CredentialProvider } = {}): CommandModule<object, MirrorArgs> {
  return {
    command: 'mirror [src] [dst]',
    describe: 'Copy an image (all platforms, digests unchanged) from one registry to another, e.g. Docker Hub into JCR — no Docker daemon needed',
    builder: (y: Argv) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, IMAGE_FLAGS)), 'summary table, or the report as one JSON document on stdout (nothing else there)')
        .option('from-config', { type: 'boolean', describe: 'copy every image the rendered stack uses into the configured JCR registry (creating missing repositories), and print the mapping and digests for images.digests', group: 'Config:' })
        .positional('src', { type: 'string', describe: 'source image: [registry/]repository[:tag|@digest] (docker.io and library/ are implied as with docker pull)' })
        .positional('dst', { type: 'string', describe: 'destination image; without a tag it takes the source tag' })
        .option('platform', { type: 'string', describe: 'copy only this platform, os/arch[/variant] (e.g. linux/amd64); the destination gets that platform\'s manifest' })
        .option('jobs', { alias: 'j', type: 'number', default: 4, describe: 'blobs transferred in parallel' })
        .option('retries', { type: 'number', default: 4, describe: 'retries (with backoff) of a request or blob transfer on 429, 5xx or a dropped connection' })
        .option('insecure', { type: 'boolean', describe: 'allow plain HTTP or unverified HTTPS for both registries (e.g. 127.0.0.1:5000)', group: 'Registries:' })
        .option('src-insecure', { type: 'boolean', describe: 'same, for the source only', group: 'Registries:' })
        .option('dest-insecure', { type: 'boolean', describe: 'same, for the destination only', group: 'Registries:' })
        .option('src-creds', { type: 'string', describe: 'source credentials USER:PASSWORD (or USER with --src-password-stdin)', group: 'Credentials:' })
        .option('dest-creds', { type: 'string', describe: 'destination credentials USER:PASSWORD (or USER with --dest-password-stdin)', group: 'Credentials:' })
        .option('src-password-stdin', { type: 'boolean', describe: 'read the source password from stdin (keeps it out of the process list)', group: 'Credentials:' })
        .option('dest-password-stdin', { type: 'boolean', describe: 'read the destination password from stdin', group: 'Credentials:' })
        .option('authfile', { type: 'string', describe: 'Docker config with "auths" (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json); credential helpers are not used', group: 'Credentials:' })
        .option('dry-run', { type: 'boolean', describe: 'read only: list the blobs and manifests that would be copied, write nothing' })
        .example('$0 mirror --from-config --config my.yaml', 'copy the Dashboard, metrics-scraper and refresher runtime images into JCR')
        .example('$0 mirror nginx:1.25 myreg-cn-north-1.jcr.service.jdcloud.com/library/nginx', 'mirror every platform of nginx:1.25 into JCR')
        .example('echo "$PASS" | $0 mirror alpine:3.20 127.0.0.1:5000/alpine --dest-creds me --dest-password-stdin --insecure', 'password from stdin, plain-HTTP registry')
        .example('$0 mirror nginx:1.25 127.0.0.1:5000/nginx --platform linux/arm64 --insecure --dry-run', 'see what one platform would copy') as never,
    handler: async (args) => {
      await mirrorHandler(args, {
        stdout: process.stdout,
        stderr: process.stderr,
        credentialsFor: hooks.credentialsFor,
        exit: (code) => {
          process.exitCode = code;
        },
      });
    },
  };
}

/** `jcrkit mirror` without a credential hook (flags, --authfile and ~/.docker/config.json only). */
export const mirrorCommand = createMirrorCommand();

/** The root CLI's `jcrkit mirror`: JCR destinations log in with a temporary token by themselves. */
export const jcrMirrorCommand = createMirrorCommand({ credentialsFor: jcrHostCredentialProvider({ env: process.env }) });

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
}

/** The command's work, separated from yargs so tests can call it; resolves with the exit code. */
export function mirrorHandler(args: MirrorArgs, io: MirrorIo): Promise<number> {
  return runCommand({ stderr: io.stderr, env: io.env ?? process.env, exit: io.exit }, () => mirrorRun(args, io));
}

async function mirrorRun(args: MirrorArgs, io: MirrorIo): Promise<number> {
  if (args['from-config'] && (args.src !== undefined || args.dst !== undefined)) throw new UsageError('--from-config takes the images from the config; drop SRC and DST');
  if (!args['from-config'] && (args.src === undefined || args.dst === undefined)) throw new UsageError('name a source and a destination image (jcrkit mirror SRC DST), or use --from-config');
  if (!args['from-config']) for (const ref of [args.src!, args.dst!]) checkReference(ref);
  const options = await optionsFromArgs(args, io);

  const bars: ProgressRenderer | undefined = args.output === 'text' && io.stderr.isTTY ? createProgressBars(io.stderr as NodeJS.WritableStream) : undefined;
  const warn = (line: string) => (bars ? bars.log(line) : io.stderr.write(`${line}\n`));
  options.onEvent = (event: MirrorEvent) => {
    bars?.onEvent(event);
    if (event.type === 'retry' && args.output === 'text') {
      const n = event.notice;
      warn(`warning: ${n.what} on ${n.registry}: ${n.reason}; retry ${n.attempt} in ${(n.delayMs / 1000).toFixed(1)}s`);
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
      report = await mirrorMany([{ source: args.src!, destination: args.dst! }], options);
    }
  } finally {
    bars?.stop();
  }

  for (const image of report.images) {
    if (image.status === 'failed') io.stderr.write(`error: ${describeFailure(image, args)}\n`);
  }
  if (args.output === 'json') {
    io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    if (report.dryRun) io.stdout.write(formatPlan(report));
    io.stdout.write(formatReportTable(report));
    if (digestsYaml) io.stdout.write(`\n# paste into the config to reference these images by digest (with images.pinDigests: true):\n${digestsYaml}`);
  }
  return report.ok ? 0 : 1;
}

/**
 * `--from-config`: the config's images (the same list the renderer uses, so the manifests
 * reference exactly what lands in JCR), repositories ensured through the cr API, the JCR host
 * logged in with a temporary token. Throws when it cannot start (bad config, no credentials).
 */
async function mirrorStackImages(args: MirrorArgs, options: MirrorOptions, io: MirrorIo, log: (line: string) => void) {
  const env = io.env ?? process.env;
  const { config } = loadConfigFromArgs(args, env);
  const { client } = cloudClient({ env, endpoint: args.endpoint });
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
    dryRun: args['dry-run'],
    ...io.engine,
  };
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
