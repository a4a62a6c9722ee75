/**
 * The output option, as kubectl spells it: -o/--output text|json. With json, stdout carries
 * exactly one JSON document and nothing else; progress and errors stay on stderr.
 */
import type { Argv } from 'yargs';

export type OutputFormat = 'text' | 'json';

export interface OutputArgs {
  output: OutputFormat;
}

export function withOutputOption<T>(y: Argv<T>, describe = 'text for people, or one JSON document on stdout for scripts (progress stays on stderr)'): Argv<T & OutputArgs> {
  return y.option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe, group: 'Output:' }) as unknown as Argv<T & OutputArgs>;
}
