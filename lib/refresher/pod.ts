/**
 * The refresher as the CronJob's pod runs it: configuration from the environment, the pod's own
 * service account for Kubernetes, AK/SK for JD Cloud, then the shared wiring (invoke.ts).
 * Returns the exit code; main.ts sets it.
 *
 * Environment:
 *   JCRKIT_REFRESH_PLAN         the RefreshPlan as JSON (rendered by the stack)
 *   JDCLOUD_ACCESS_KEY/SECRET_KEY  from the credentials Secret
 *   JDCLOUD_ENDPOINT            optional: send every JD Cloud call to this base URL
 *   JCRKIT_SERVICE_ACCOUNT_DIR  optional: where the service-account token is mounted
 *                               (default /var/run/secrets/kubernetes.io/serviceaccount)
 *   HOSTNAME                    the pod name (set by the kubelet), recorded as the Event's source
 */
import { createKubeClient, type KubeClient } from '../kube/client';
import { inClusterConnection, SERVICE_ACCOUNT_DIR } from '../kube/in-cluster';
import { jsonLineLogger, type LineSink } from './logger';
import { parseRefreshPlan, PLAN_ENV, refresherNameOf, type RefreshPlan } from '../model/refresh-plan';
import { redactorFromEnv } from '../core/redact';
import { EXIT_FAILED, InputError, exitCodeFor } from '../core/errors';
import { invokeRefresh } from './invoke';

export async function runPod(env: NodeJS.ProcessEnv, out: LineSink): Promise<number> {
  // registered before anything can print, so even a config error cannot echo them
  const redactor = redactorFromEnv(env);
  const logger = jsonLineLogger(out, redactor);
  let plan: RefreshPlan;
  let kube: KubeClient;
  try {
    const json = env[PLAN_ENV];
    if (!json) throw new InputError(`${PLAN_ENV} is not set; it holds the refresh plan as JSON (the rendered CronJob sets it)`);
    plan = parseRefreshPlan(json);
    if (!env.JDCLOUD_ACCESS_KEY || !env.JDCLOUD_SECRET_KEY) {
      throw new InputError('JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY must be set (from the refresher credentials Secret)');
    }
    kube = createKubeClient(inClusterConnection({ env, serviceAccountDir: env.JCRKIT_SERVICE_ACCOUNT_DIR || SERVICE_ACCOUNT_DIR }), { userAgent: 'jcrkit-refresher' });
  } catch (err) {
    // no in-cluster identity (not in a pod, token not mounted): the environment is wrong
    logger.log('error', { msg: redactor.describe(err) });
    return exitCodeFor(err);
  }
  try {
    const { exitCode } = await invokeRefresh({
      plan,
      kube,
      credentials: { accessKey: env.JDCLOUD_ACCESS_KEY, secretKey: env.JDCLOUD_SECRET_KEY },
      endpoint: env.JDCLOUD_ENDPOINT || undefined,
      output: 'json',
      out,
      redactor,
      writer: `CronJob ${plan.refresherNamespace}/${refresherNameOf(plan)}`,
      instance: env.HOSTNAME || undefined,
    });
    return exitCode;
  } catch (err) {
    logger.log('error', { msg: `refresh aborted: ${redactor.describe(err)}` });
    return EXIT_FAILED;
  } finally {
    kube.close();
  }
}
