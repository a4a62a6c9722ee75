/**
 * The embedded default config: what `npx cdk8s synth` renders when no file is given. It follows the
 * runbook's choices (registry `pocexam` in cn-north-1, pull Secret `my-secret`) with the current
 * Dashboard preset v2.7.0. Kept as YAML text so `jcrkit config default` can print it verbatim.
 */
export const DEFAULT_CONFIG_YAML = `# jcrkit default config (embedded). Copy it, edit it, and pass it with --config or JCRKIT_CONFIG.
registry:
  name: pocexam
  region: cn-north-1
pullSecret:
  name: my-secret
dashboard:
  preset: v2.7.0
`;

export const DEFAULT_CONFIG_SOURCE = 'embedded default config';
