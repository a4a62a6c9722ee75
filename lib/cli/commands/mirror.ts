/**
 * `jcrkit mirror SRC DST`: copy an image (every platform by default) between registries without a
 * Docker daemon. The copying is lib/registry's; lib/cli/handlers/mirror.ts turns flags into
 * options, draws progress on a terminal, and prints the report (table or JSON) and one-line errors
 * with a fix.
 */
import type { Argv, CommandModule } from 'yargs';
import type { MirrorArgs } from '../handlers/mirror';
import { withCloudOptions } from '../options/cloud';
import { IMAGE_FLAGS, withConfigOptions } from '../options/config';
import { withOutputOption } from '../options/output';

export type { MirrorArgs };

/**
 * The command. With `jcr: true` (the root CLI's) the JCR integration's temporary-token fetcher is
 * the credential hook, so `jcrkit mirror … my-jcr-host/…` logs in by itself (and fetches a new
 * token when the registry says 401 mid-run).
 */
export function createMirrorCommand(hooks: { jcr?: boolean } = {}): CommandModule<object, MirrorArgs> {
  return {
    command: 'mirror [src] [dst]',
    describe: 'Copy an image (all platforms, digests unchanged) from one registry to another, e.g. Docker Hub into JCR — no Docker daemon needed',
    builder: (y: Argv) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, IMAGE_FLAGS)), 'summary table, or the report as one JSON document on stdout (nothing else there)')
        .option('from-config', { type: 'boolean', describe: 'copy every image the rendered stack uses into the configured JCR registry (creating missing repositories), and print the mapping and digests for images.digests', group: 'Config:' })
        .positional('src', { type: 'string', describe: 'source image: [registry/]repository[:tag|@digest] (docker.io and library/ are implied as with docker pull)' })
        .positional('dst', { type: 'string', describe: 'destination image; without a tag it takes the source tag' })
        .option('file', { alias: 'f', type: 'string', describe: 'copy every image in LIST (- = stdin): a YAML list of {from, to} or "SRC DST" lines; concurrently, one summary, failures don\'t stop the rest' })
        .option('source-mirror', { type: 'string', array: true, describe: 'pull from a mirror of a registry: REGISTRY=MIRROR[/prefix], e.g. docker.io=docker.m.daocloud.io (repeatable; adds to images.sourceMirrors)', group: 'Registries:' })
        .option('format', { choices: ['auto', 'keep', 'docker', 'oci'] as const, default: 'auto' as const, describe: 'manifests at the destination: keep them byte for byte, convert to docker (schema 2) or oci; auto = keep, but convert to docker when the destination refuses OCI' })
        .option('platform', { type: 'string', describe: 'copy only this platform, os/arch[/variant] (e.g. linux/amd64); the destination gets that platform\'s manifest' })
        .option('jobs', { alias: 'j', type: 'number', default: 4, describe: 'images copied at once, and blob transfers in flight across them' })
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
        .example('$0 mirror --from-config --source-mirror docker.io=docker.m.daocloud.io', 'the same, from a reachable mirror of Docker Hub')
        .example('$0 mirror --file images.txt --jobs 8', 'many images ("SRC DST" per line), 8 at a time')
        .example('$0 mirror nginx:1.25 myreg-cn-north-1.jcr.service.jdcloud.com/library/nginx', 'mirror every platform of nginx:1.25 into JCR')
        .example('echo "$PASS" | $0 mirror alpine:3.20 127.0.0.1:5000/alpine --dest-creds me --dest-password-stdin --insecure', 'password from stdin, plain-HTTP registry')
        .example('$0 mirror nginx:1.25 127.0.0.1:5000/nginx --platform linux/arm64 --insecure --dry-run', 'see what one platform would copy') as never,
    // the registry client (and, for --from-config, the config schema and JD Cloud client) load only when the command runs
    handler: async (args) => {
      const { mirrorHandler, jcrHostCredentials, processSignals } = await import('../handlers/mirror');
      await mirrorHandler(args, {
        stdout: process.stdout,
        stderr: process.stderr,
        credentialsFor: hooks.jcr ? jcrHostCredentials(process.env, args.proxy) : undefined,
        signals: processSignals,
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
export const jcrMirrorCommand = createMirrorCommand({ jcr: true });

