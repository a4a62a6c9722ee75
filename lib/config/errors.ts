/** Config problems, each tied to the dotted path of the field and carrying its fix. */
export interface ConfigIssue {
  /** Dotted field path, e.g. `dashboard.service.nodePort` (`(root)` for the document). */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  readonly source: string;

  constructor(source: string, issues: ConfigIssue[]) {
    super(formatIssues(source, issues));
    this.name = 'ConfigError';
    this.source = source;
    this.issues = issues;
  }
}

function formatIssues(source: string, issues: ConfigIssue[]): string {
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`);
  return `invalid config (${source}):\n${lines.join('\n')}`;
}
