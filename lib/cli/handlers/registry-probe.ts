/**
 * `jcrkit registry probe`, run: the probe (lib/registry/probe.ts) against any registry, or against
 * the configured JCR registry with its probe repository ensured and a JCR token.
 */
import { cloudClient, proxyResolver } from '../../cloud/client';
import { UsageError } from '../../core/errors';
import { jcrCredentialProvider } from '../../cloud/jcr-credentials';
import { listRepositories } from '../../cloud/registry';
import { CrApi } from '../../jdcloud/cr';
import {
  HttpTransport,
  RegistryClient,
  chainCredentialProviders,
  dockerConfigCredentialProvider,
  parseCredentials,
  probeRegistry,
  staticCredentials,
  type CredentialProvider,
  type Credentials,
  type ProbeCase,
  type ProbeReport,
} from '../../registry';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadConfigFromArgs } from './args';

export async function probe(args: ProbeArgs, io: CommandIo): Promise<number> {
  const report = await runProbe(args, io);
  if (args.output === 'json') writeJson(io.stdout, report);
  else io.stdout.write(formatProbe(report));
  return 0;
}

export interface ProbeArgs extends ConfigArgs, CloudArgs, OutputArgs {
  registry?: string;
  repository: string;
  insecure?: boolean;
  creds?: string;
  authfile?: string;
}

async function runProbe(args: ProbeArgs, io: CommandIo): Promise<ProbeReport> {
  const proxy = proxyResolver(io.env, args.proxy).settings;
  let explicit: Credentials | undefined;
  if (args.creds !== undefined) {
    try {
      explicit = parseCredentials(args.creds);
    } catch {
      throw new UsageError('--creds must be USER:PASSWORD');
    }
  }
  let host = args.registry;
  let jcr: CredentialProvider | undefined;
  if (!host) {
    // The configured JCR registry: the probe repository must exist (JCR refuses pushes into a
    // missing one), and the login is a short JCR token.
    const { config } = loadConfigFromArgs(args, io.env);
    host = config.registry.host;
    const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
    const cr = new CrApi(client, { service: config.registry.crService });
    const existing = new Set((await listRepositories(cr, config.registry.region, config.registry.name)).map((r) => r.repositoryName));
    if (!existing.has(args.repository)) {
      await cr.createRepository({ regionId: config.registry.region, registryName: config.registry.name, repositoryName: args.repository, description: 'jcrkit registry probe (safe to delete)' });
      io.stderr.write(`created repository ${config.registry.name}/${args.repository} for the probe (it stays; delete it in the console when you like)\n`);
    }
    jcr = jcrCredentialProvider(cr, { regionId: config.registry.region, registryName: config.registry.name, host, hours: 1 });
  }
  const transport = new HttpTransport({ proxy, userAgent: 'jcrkit-probe' });
  const client = new RegistryClient({
    registry: host,
    access: 'push',
    insecure: args.insecure,
    transport,
    credentials: chainCredentialProviders(explicit ? staticCredentials(host, explicit) : undefined, jcr, dockerConfigCredentialProvider(args.authfile)),
  });
  try {
    return await probeRegistry(client, args.repository, args.output === 'json' ? undefined : (line) => io.stderr.write(`${line}\n`));
  } finally {
    transport.close();
  }
}

const CLEANUP_TEXT: Record<ProbeCase['cleanup'], string> = {
  deleted: 'deleted',
  'delete-not-allowed': 'delete not allowed (tag left)',
  'delete-failed': 'delete failed (tag left)',
  none: '-',
};

export function formatProbe(report: ProbeReport): string {
  const rows = report.cases.map((c) => [c.name, c.mediaType, c.accepted ? 'yes' : 'no', CLEANUP_TEXT[c.cleanup]]);
  const header = ['FORMAT', 'MEDIA TYPE', 'ACCEPTED', 'CLEANUP'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  out.push('');
  out.push(
    report.ociImages
      ? `${report.registry} accepts OCI images: jcrkit mirror copies them byte for byte (digests unchanged).`
      : `${report.registry} refuses OCI images: jcrkit mirror converts them to Docker schema 2 (new digests); --format docker skips the first, refused attempt.`,
  );
  const left = report.cases.filter((c) => c.accepted && c.cleanup !== 'deleted');
  if (left.length) out.push(`left in ${report.repository}: ${left.map((c) => c.tag).join(', ')} (the registry did not delete them)`);
  return `${out.join('\n')}\n`;
}

