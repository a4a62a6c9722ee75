/** lib/core/redact: the one marker, the one short-value rule, the one environment list. */
import { MIN_SECRET_LENGTH, REDACTED, Redactor, redactBody, redactorFromEnv } from '../../lib/core/redact';

test('scrubs secrets, their JSON-escaped and base64 forms, and user:password', () => {
  const r = new Redactor().add('AKID123456').addCredentials('jdcloud', 'pa"ss\\word');
  const b64 = Buffer.from('jdcloud:pa"ss\\word').toString('base64');
  const text = `key AKID123456 pw pa"ss\\word json ${JSON.stringify('pa"ss\\word')} auth ${b64} pwb64 ${Buffer.from('pa"ss\\word').toString('base64')}`;
  const out = r.scrub(text);
  expect(out).not.toMatch(/AKID123456|pa"ss|ss\\\\word/);
  expect(out).not.toContain(b64);
  expect(out.split(REDACTED).length - 1).toBe(5);
});

test(`values shorter than ${MIN_SECRET_LENGTH} characters are not scrubbed from text, but never printed as values`, () => {
  expect(MIN_SECRET_LENGTH).toBe(4);
  expect(new Redactor().add('abc').scrub('abcd abc')).toBe('abcd abc');
  expect(new Redactor().add('abcd').scrub('abcd abc')).toBe(`${REDACTED} abc`);
  expect(redactBody({ accessKey: 'ab', nested: [{ secretKey: '' }], name: 'x' })).toEqual({ accessKey: REDACTED, nested: [{ secretKey: REDACTED }], name: 'x' });
});

test('redactorFromEnv knows the AK/SK and a registry password, trimmed or not, and nothing else', () => {
  const r = redactorFromEnv({ JDCLOUD_ACCESS_KEY: ' AKID-env \n', JDCLOUD_SECRET_KEY: 'SK-from-env', JCR_PASSWORD: 'jcr-pass', HOME: '/home/someone' });
  expect(r.scrub('AKID-env SK-from-env jcr-pass /home/someone')).toBe(`${REDACTED} ${REDACTED} ${REDACTED} /home/someone`);
  expect(redactorFromEnv({}).scrub('nothing to hide')).toBe('nothing to hide');
});

test('describe prints an error message, scrubbed, never the stack', () => {
  const r = new Redactor().add('s3cr3t');
  const e = new Error('failed with s3cr3t');
  expect(r.describe(e)).toBe(`failed with ${REDACTED}`);
  expect(r.describe('plain s3cr3t')).toBe(`plain ${REDACTED}`);
});
