/**
 * The steps of `jcrkit up`, apart from their implementation: the command's definition builds a
 * `--skip-<step>` flag from each name at start-up, which must not load every cloud client.
 */

/** Which steps run (all by default; `--skip-<step>` turns one off). */
export interface UpSteps {
  registry: boolean;
  mirror: boolean;
  network: boolean;
  cluster: boolean;
  kubeconfig: boolean;
  deploy: boolean;
  credentials: boolean;
  refresh: boolean;
}

/** In run order: the apply comes before the AK/SK Secret because it creates a custom refresher namespace. */
export const UP_STEP_NAMES = ['registry', 'mirror', 'network', 'cluster', 'kubeconfig', 'deploy', 'credentials', 'refresh'] as const;
