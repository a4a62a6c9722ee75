/**
 * `jcrkit mirror --from-config` (the yargs-free work behind the flag): the
 * runbook's `docker pull … && docker tag … && docker push` for every image of the stack
 * that has an upstream `source`, without a Docker daemon. Repositories are ensured first (JCR
 * refuses a push into a repository that does not exist), the JCR host gets credentials from
 * GetAuthorizationToken, and the digests are printed as a YAML snippet for `images.digests`
 * (used with `images.pinDigests: true`).
 */
import { stringify as stringifyYaml } from 'yaml';
import type { ResolvedConfig } from '../config';
import { CrApi } from '../jdcloud/cr';
import { mirrorMany, type MirrorOptions, type MirrorPair, type MirrorReport } from '../registry';
import { jcrCredentialProvider } from './jcr-credentials';
import type { Log } from './log';
import { listRepositories } from './registry';

export interface MirrorFromConfigOptions {
  /** JCR API (repositories and tokens); required unless `skipRepositories` and `credentials: false` */
  cr?: CrApi;
  /** don't create missing repositories (e.g. a plain registry in tests) */
  skipRepositories?: boolean;
  /** false = no JCR token hook (the registry needs no login, or docker config has it) */
  jcrCredentials?: boolean;
  /** passed to the mirror engine (jobs, platform, insecure, dryRun, onEvent, authFile …) */
  mirror?: MirrorOptions;
  /** the copy function; default lib/registry mirrorMany (tests may inject one) */
  copy?: (pairs: MirrorPair[], options: MirrorOptions) => Promise<MirrorReport>;
  log?: Log;
  /** every registry password fetched, for redaction by the caller */
  onSecret?: (password: string) => void;
}

export interface MirrorFromConfigResult {
  /** source → target for every image with a source */
  pairs: MirrorPair[];
  repositoriesCreated: string[];
  report: MirrorReport;
  /** target → digest of every copied or unchanged image */
  digests: Record<string, string>;
  /** `images:\n  digests:\n    <target>: sha256:…` ready to paste into the config */
  digestsYaml: string;
}

/**
 * The images to copy: every `config.images` entry with an upstream source, then `images.extra`.
 * A pinned digest (images.digests) comes along, so what a source mirror serves is checked.
 */
export function mirrorPairsFromConfig(config: ResolvedConfig): MirrorPair[] {
  const stack = config.images
    .filter((i) => i.source)
    .map((i): MirrorPair => ({ source: i.source!, destination: i.target, ...(i.pinnedDigest ? { expectedDigest: i.pinnedDigest } : {}) }));
  const extra = (config.mirror?.extra ?? []).map(
    (e): MirrorPair => ({ source: e.source, destination: e.target, ...(e.platform ? { platform: e.platform } : {}), ...(e.pinnedDigest ? { expectedDigest: e.pinnedDigest } : {}) }),
  );
  return [...stack, ...extra];
}

export async function mirrorFromConfig(config: ResolvedConfig, opts: MirrorFromConfigOptions = {}): Promise<MirrorFromConfigResult> {
  const log = opts.log ?? (() => undefined);
  const { name: registryName, region: regionId, host } = config.registry;
  const pairs = mirrorPairsFromConfig(config);
  const needsCr = !opts.skipRepositories || opts.jcrCredentials !== false;
  if (needsCr && !opts.cr) throw new Error('mirrorFromConfig: a CrApi is needed to ensure repositories and fetch the JCR token');

  const repositoriesCreated: string[] = [];
  const wanted = [...new Set([...config.images.filter((i) => i.source && i.repository).map((i) => i.repository!), ...(config.mirror?.extra ?? []).flatMap((e) => (e.repository ? [e.repository] : []))])];
  if (!opts.skipRepositories && wanted.length && !opts.mirror?.dryRun) {
    const existing = new Set((await listRepositories(opts.cr!, regionId, registryName)).map((r) => r.repositoryName));
    for (const repositoryName of wanted.filter((r) => !existing.has(r))) {
      await opts.cr!.createRepository({ regionId, registryName, repositoryName, description: 'created by jcrkit' });
      repositoriesCreated.push(repositoryName);
      log(`created repository ${registryName}/${repositoryName}`);
    }
  }

  // The config's mirrors, with --source-mirror flags (already in opts.mirror) on top.
  const sourceMirrors = { ...config.mirror?.sourceMirrors, ...opts.mirror?.sourceMirrors };
  const credentialsFor =
    opts.jcrCredentials === false
      ? opts.mirror?.credentialsFor
      : jcrCredentialProvider(opts.cr!, {
          regionId,
          registryName,
          host,
          hours: 1, // the copy needs minutes; a short token limits what a leak could do
          onFetch: (reason) => log(reason === 'rejected' ? `registry ${host} rejected the token; fetching a new one` : `fetching a JCR token for ${host}`),
          onSecret: opts.onSecret,
        });
  const copy = opts.copy ?? mirrorMany;
  const report = await copy(pairs, { ...opts.mirror, sourceMirrors, credentialsFor });

  const digests: Record<string, string> = {};
  // mirrorMany answers in the order of `pairs`; key by the config's own target text (what
  // images.digests is looked up by), not the engine's normalised reference.
  report.images.forEach((image, index) => {
    if (image.digest && (image.status === 'copied' || image.status === 'unchanged')) digests[pairs[index]?.destination ?? image.destination] = image.digest;
  });
  const digestsYaml = Object.keys(digests).length ? stringifyYaml({ images: { digests } }, { lineWidth: 0 }) : '';
  return { pairs, repositoriesCreated, report, digests, digestsYaml };
}
