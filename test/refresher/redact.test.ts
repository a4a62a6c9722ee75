import { jsonLineLogger } from '../../lib/refresher/logger';
import { REDACTED, Redactor } from '../../lib/refresher/redact';

describe('Redactor', () => {
  test('scrubs secrets, their JSON-escaped and base64 forms, and user:password', () => {
    const r = new Redactor().add('AKID123456').addCredentials('jdcloud', 'pa"ss\\word');
    const b64 = Buffer.from('jdcloud:pa"ss\\word').toString('base64');
    const text = `key AKID123456 pw pa"ss\\word json ${JSON.stringify('pa"ss\\word')} auth ${b64} pwb64 ${Buffer.from('pa"ss\\word').toString('base64')}`;
    const out = r.scrub(text);
    expect(out).not.toMatch(/AKID123456|pa"ss|ss\\\\word/);
    expect(out).not.toContain(b64);
    expect(out.split(REDACTED).length - 1).toBe(5);
  });

  test('ignores strings too short to be secrets', () => {
    expect(new Redactor().add('ab').scrub('abc ab')).toBe('abc ab');
  });

  test('the JSON logger scrubs every field, however nested', () => {
    const lines: string[] = [];
    const r = new Redactor().add('s3cr3t-value');
    jsonLineLogger({ write: (s) => lines.push(s) }, r, () => new Date(0)).log('error', { msg: 'x s3cr3t-value', nested: { deep: ['s3cr3t-value'] } });
    expect(lines.join('')).not.toContain('s3cr3t-value');
    expect(JSON.parse(lines[0])).toEqual({ level: 'error', time: '1970-01-01T00:00:00.000Z', msg: `x ${REDACTED}`, nested: { deep: [REDACTED] } });
  });
});
