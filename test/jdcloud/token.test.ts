/** The authorizationToken decoder and the expiresAt parser. */
import { JdcloudResponseError } from '../../lib/jdcloud/errors';
import { decodeAuthorizationToken, parseExpiresAt } from '../../lib/jdcloud/token';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('decodeAuthorizationToken', () => {
  it('splits user and password at the first colon', () => {
    expect(decodeAuthorizationToken(b64('jdcloud:s3cr3t'))).toEqual({ username: 'jdcloud', password: 's3cr3t' });
    expect(decodeAuthorizationToken(b64('jdcloud:a:b::c'))).toEqual({ username: 'jdcloud', password: 'a:b::c' });
  });

  it.each([
    ['jq-quoted', (t: string) => `"${t}"`],
    ['single-quoted', (t: string) => `'${t}'`],
    ['padded with whitespace and a newline', (t: string) => `  ${t}\n`],
    ['quoted then padded', (t: string) => ` "${t}" \n`],
    ['line-wrapped', (t: string) => `${t.slice(0, 8)}\n${t.slice(8)}`],
  ])('tolerates a %s token', (_what, wrap) => {
    expect(decodeAuthorizationToken(wrap(b64('jdcloud:pa ss')))).toEqual({ username: 'jdcloud', password: 'pa ss' });
  });

  it('accepts base64url and missing padding', () => {
    const token = Buffer.from('jdcloud:>>>???', 'utf8').toString('base64url');
    expect(token).toMatch(/[-_]/);
    expect(decodeAuthorizationToken(token).password).toBe('>>>???');
  });

  it.each([
    [null, 'authorizationToken: is missing (the API returned no token)'],
    [undefined, 'authorizationToken: is missing (the API returned no token)'],
    ['', 'authorizationToken: is empty (the API returned no token)'],
    ['null', 'authorizationToken: is empty (the API returned no token)'],
    ['"null"', 'authorizationToken: is empty (the API returned no token)'],
    ['not base64!', 'authorizationToken: is not base64'],
    [b64('no-colon-here'), "authorizationToken: does not decode to user:password (no ':')"],
    [b64(':password'), 'authorizationToken: decodes to an empty user name'],
    [b64('jdcloud:'), 'authorizationToken: decodes to an empty password'],
  ])('rejects %j with a message naming the problem', (token, message) => {
    expect(() => decodeAuthorizationToken(token)).toThrow(JdcloudResponseError);
    expect(() => decodeAuthorizationToken(token)).toThrow(message);
  });

  it('never puts the token or the password in the error', () => {
    const token = b64('supersecretpasswordwithoutcolon');
    try {
      decodeAuthorizationToken(token);
      throw new Error('should have thrown');
    } catch (error) {
      expect(String(error)).not.toContain(token);
      expect(String(error)).not.toContain('supersecret');
    }
  });
});

describe('parseExpiresAt', () => {
  it.each([
    ['1717243200', '2024-06-01T12:00:00.000Z'],
    ['1717243200000', '2024-06-01T12:00:00.000Z'],
    [1717243200, '2024-06-01T12:00:00.000Z'],
    ['2024-06-01T12:00:00Z', '2024-06-01T12:00:00.000Z'],
    ['2024-06-01T20:00:00+08:00', '2024-06-01T12:00:00.000Z'],
  ])('reads %j', (value, iso) => {
    expect(parseExpiresAt(value)?.toISOString()).toBe(iso);
  });

  it.each([null, undefined, '', 'soon', 'Sat Jun 01 2024'])('returns undefined for %j', (value) => {
    expect(parseExpiresAt(value)).toBeUndefined();
  });
});
