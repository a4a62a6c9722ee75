/**
 * The one refresh wiring: plan + Kubernetes client + JD Cloud credentials → token source,
 * redactor, logger → a run (or its dry run) → exit code. The CronJob's pod (pod.ts),
 * `jcrkit refresh`, `jcrkit pull-secret apply` and `jcrkit up`'s refresh step all go through
 * here, so they cannot drift apart: same decisions, same log lines, same Event.
 *
 * Kept free of yargs and YAML so the pod bundle stays small; callers build the KubeClient.
 */
import type { BackoffOptions } from '../core/backoff';
import type { JdcloudClientOptions } from '../jdcloud/client';
import type { KubeClient } from '../kube/client';
import type { RefreshPlan } from '../model/refresh-plan';
import { dryRunRefresh, formatDryRun, type DryRunReport } from './dry-run';
import { jdcloudTokenSource } from './jdcloud-token-source';
import { jsonLineLogger, textLogger, type LineSink } from './logger';
import { InputError } from '../core/errors';
import { Redactor } from '../core/redact';
import { EXIT_FAILED_RUN, EXIT_OK, runRefresh, type RefreshDeps, type RefreshReport } from './run';
import type { TokenSource } from './token-source';

export interface RefreshInvocation {
  plan: RefreshPlan;
  kube: KubeClient;
  /** JD Cloud AK/SK; not needed for a dry run */
  credentials?: { accessKey: string; secretKey: string };
  /** every JD Cloud call goes here (JDCLOUD_ENDPOINT, --endpoint) */
  endpoint?: string;
  /** json: one JSON object per line (the pod, scripts); text: lines for people */
  output: 'text' | 'json';
  /** where the run's lines go */
  out: LineSink;
  dryRun?: boolean;
  /** mint even when a fresh token is recorded */
  force?: boolean;
  concurrency?: number;
  /** recorded on the Secrets (jcrkit.io/refreshed-by) */
  writer: string;
  /** the Event's source host */
  instance?: string;
  /** a redactor that already knows other secrets of the caller */
  redactor?: Redactor;
  // test seams
  client?: Partial<JdcloudClientOptions>;
  tokens?: TokenSource;
  probeRegistry?: RefreshDeps['probeRegistry'];
  now?: () => Date;
  retry?: BackoffOptions;
}

export interface RefreshInvocationResult {
  exitCode: number;
  report?: RefreshReport;
  dryRun?: DryRunReport;
}

/** Thrown for a call that cannot run at all (no AK/SK for a real run): bad input, exit 2. */
export class RefreshInputError extends InputError {
}

export async function invokeRefresh(inv: RefreshInvocation): Promise<RefreshInvocationResult> {
  const redactor = (inv.redactor ?? new Redactor()).add(inv.credentials?.accessKey).add(inv.credentials?.secretKey);
  const { plan, kube } = inv;
  if (inv.dryRun) {
    const report = await dryRunRefresh(plan, kube, { concurrency: inv.concurrency, force: inv.force, now: inv.now, redactor });
    inv.out.write(redactor.scrub(inv.output === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatDryRun(report)));
    return { exitCode: report.problems ? EXIT_FAILED_RUN : EXIT_OK, dryRun: report };
  }
  let tokens = inv.tokens;
  if (!tokens) {
    if (!inv.credentials?.accessKey || !inv.credentials.secretKey) {
      throw new RefreshInputError('JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY must be set for a refresh (or use --dry-run)');
    }
    tokens = jdcloudTokenSource({
      accessKey: inv.credentials.accessKey,
      secretKey: inv.credentials.secretKey,
      regionId: plan.registry.region,
      registryName: plan.registry.name,
      service: plan.crService,
      endpoint: inv.endpoint,
      client: { now: inv.now, ...inv.client },
    });
  }
  const logger = inv.output === 'json' ? jsonLineLogger(inv.out, redactor, inv.now) : textLogger(inv.out, redactor);
  const report = await runRefresh(
    plan,
    {
      kube,
      tokens,
      logger,
      redactor,
      concurrency: inv.concurrency,
      now: inv.now,
      probeRegistry: inv.probeRegistry,
      writer: inv.writer,
      instance: inv.instance,
      retry: inv.retry,
    },
    { force: inv.force },
  );
  return { exitCode: report.exitCode, report };
}
