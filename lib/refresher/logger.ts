import type { Redactor } from '../core/redact';

/** Anything with write(string): process.stdout, a test buffer. */
export interface LineSink {
  write(line: string): unknown;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface RefreshLogger {
  log(level: LogLevel, fields: Record<string, unknown>): void;
}

/**
 * One JSON object per line (what `kubectl logs` and log shippers handle best), every line passed
 * through the redactor after serialization so no field, however nested, can carry a secret.
 */
export function jsonLineLogger(sink: LineSink, redactor: Redactor, now: () => Date = () => new Date()): RefreshLogger {
  return {
    log(level, fields) {
      const line = JSON.stringify({ level, time: now().toISOString(), ...fields });
      sink.write(redactor.scrub(line) + '\n');
    },
  };
}

/**
 * Human-readable lines for `jcrkit refresh` at a terminal; same redaction. Namespace lines read
 * "ns: Secret NAME created; ServiceAccount default added (token expires T)".
 */
export function textLogger(sink: LineSink, redactor: Redactor): RefreshLogger {
  return {
    log(level, fields) {
      let line: string;
      if (typeof fields.namespace === 'string') {
        const sas = (fields.serviceAccounts as { name: string; action: string }[] | undefined) ?? [];
        const parts = [`Secret ${String(fields.secret)} ${String(fields.action)}`];
        if (sas.length) parts.push(sas.map((s) => `ServiceAccount ${s.name} ${s.action}`).join(', '));
        line = `${fields.namespace}: ${parts.join('; ')}`;
        if (fields.error) line += ` — ${String(fields.error)}`;
        else if (fields.expiresAt) line += ` (token expires ${String(fields.expiresAt)})`;
        if (fields.msg) line += ` — ${String(fields.msg)}`;
      } else {
        line = String(fields.msg ?? JSON.stringify(fields));
      }
      sink.write(redactor.scrub(`${level === 'info' ? '' : `${level}: `}${line}`) + '\n');
    },
  };
}
