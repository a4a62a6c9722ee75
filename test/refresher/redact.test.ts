import { REDACTED, Redactor } from '../../lib/core/redact';
import { jsonLineLogger } from '../../lib/refresher/logger';

test('the JSON logger scrubs every field, however nested', () => {
  const lines: string[] = [];
  const r = new Redactor().add('s3cr3t-value');
  jsonLineLogger({ write: (s) => lines.push(s) }, r, () => new Date(0)).log('error', { msg: 'x s3cr3t-value', nested: { deep: ['s3cr3t-value'] } });
  expect(lines.join('')).not.toContain('s3cr3t-value');
  expect(JSON.parse(lines[0])).toEqual({ level: 'error', time: '1970-01-01T00:00:00.000Z', msg: `x ${REDACTED}`, nested: { deep: [REDACTED] } });
});
