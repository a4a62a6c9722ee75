/** Small pure helpers: JCR name rules and host, endpoint resolution, parameter flattening. */
import { credentialsFromEnv } from '../../lib/jdcloud/credentials';
import { ENDPOINT_ENV, defaultEndpoint, endpointOverrideFrom, resolveEndpoint } from '../../lib/jdcloud/endpoints';
import { JdcloudApiError, JdcloudNetworkError, JdcloudValidationError, isRetryableStatus } from '../../lib/jdcloud/errors';
import { registryHost, validateRegistryName, validateRepositoryName } from '../../lib/jdcloud/names';
import { buildQueryString, expandPath, flattenParams } from '../../lib/jdcloud/params';

describe('registry names', () => {
  it.each(['myreg', 'a', 'team-a', 'reg1', '1reg', 'a'.repeat(32)])('accepts %j', (name) => {
    expect(validateRegistryName(name)).toBeUndefined();
  });

  it.each([
    ['', 'registry name is empty'],
    ['a'.repeat(33), 'registry name must be at most 32 characters (got 33)'],
    ['MyReg', "registry name may contain only lower-case letters, digits and '-'"],
    ['my_reg', "registry name may contain only lower-case letters, digits and '-'"],
    ['my.reg', "registry name may contain only lower-case letters, digits and '-'"],
    ['-reg', "registry name must start and end with a lower-case letter or digit, not '-'"],
    ['reg-', "registry name must start and end with a lower-case letter or digit, not '-'"],
  ])('rejects %j: %s', (name, message) => {
    expect(validateRegistryName(name)).toBe(message);
  });

  it('builds the registry host', () => {
    expect(registryHost('myregistry', 'cn-north-1')).toBe('myregistry-cn-north-1.jcr.service.jdcloud.com');
  });
});

describe('repository names', () => {
  it.each(['app', 'kubernetes-dashboard-amd64', 'team/app', 'a_b', 'x'.repeat(256)])('accepts %j', (name) => {
    expect(validateRepositoryName(name)).toBeUndefined();
  });

  it.each([
    ['', 'repository name is empty'],
    ['x'.repeat(257), 'repository name must be at most 256 characters (got 257)'],
    ['my.app', "repository name must not contain '.'"],
    ['a/b/c', "repository name may have at most two levels (one '/')"],
    ['/app', "repository name must not start or end with '/' or contain '//'"],
    ['App', "repository name may contain only lower-case letters, digits, '-', '_' and one '/'"],
    ['team/-app', 'each level of a repository name must start and end with a lower-case letter or digit'],
  ])('rejects %j: %s', (name, message) => {
    expect(validateRepositoryName(name)).toBe(message);
  });
});

describe('endpoints', () => {
  it('defaults to https://{service}.jdcloud-api.com', () => {
    expect(defaultEndpoint('cr')).toBe('https://cr.jdcloud-api.com');
    expect(resolveEndpoint('containerregistry')).toBe('https://containerregistry.jdcloud-api.com');
    expect(resolveEndpoint('vpc', '   ')).toBe('https://vpc.jdcloud-api.com');
  });

  it('sends every service to an override, normalised', () => {
    expect(resolveEndpoint('cr', 'http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(resolveEndpoint('kubernetes', 'https://gw.example.com:443/prefix//')).toBe('https://gw.example.com/prefix');
  });

  it('substitutes {service} in an override', () => {
    expect(resolveEndpoint('vpc', 'http://{service}.internal.cn-north-1.jdcloud-api.com')).toBe('http://vpc.internal.cn-north-1.jdcloud-api.com');
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['ftp://host', 'must use http:// or https://'],
    ['https://host/?a=1', 'must not contain a query, fragment or credentials'],
    ['https://user:pw@host', 'must not contain a query, fragment or credentials'],
  ])('rejects the override %j', (override, message) => {
    expect(() => resolveEndpoint('cr', override)).toThrow(message);
  });

  it('does not echo credentials embedded in a rejected override', () => {
    expect(() => resolveEndpoint('cr', 'https://user:hunter22@host/')).toThrow('endpoint: "https://[REDACTED]@host/" must not contain');
  });

  it('takes the flag first, then JDCLOUD_ENDPOINT', () => {
    expect(ENDPOINT_ENV).toBe('JDCLOUD_ENDPOINT');
    expect(endpointOverrideFrom('http://flag', { JDCLOUD_ENDPOINT: 'http://env' })).toBe('http://flag');
    expect(endpointOverrideFrom(undefined, { JDCLOUD_ENDPOINT: ' http://env ' })).toBe('http://env');
    expect(endpointOverrideFrom('', { JDCLOUD_ENDPOINT: '' })).toBeUndefined();
  });
});

describe('parameters', () => {
  it('flattens arrays 1-based and objects by field, skipping undefined and null', () => {
    expect(
      flattenParams({
        pageNumber: 1,
        filters: [
          { name: 'vpcIds', values: ['vpc-1', 'vpc-2'] },
          { name: 'azs', operator: 'eq', values: ['cn-north-1a'] },
        ],
        flag: true,
        skipped: undefined,
        nothing: null,
      }),
    ).toEqual([
      ['pageNumber', '1'],
      ['filters.1.name', 'vpcIds'],
      ['filters.1.values.1', 'vpc-1'],
      ['filters.1.values.2', 'vpc-2'],
      ['filters.2.name', 'azs'],
      ['filters.2.operator', 'eq'],
      ['filters.2.values.1', 'cn-north-1a'],
      ['flag', 'true'],
    ]);
  });

  it('builds the sorted, encoded query string that gets signed', () => {
    expect(buildQueryString({ b: 'x y', a: 'é', filters: [{ name: 'n', values: ['1'] }] })).toBe(
      'a=%C3%A9&b=x%20y&filters.1.name=n&filters.1.values.1=1',
    );
    expect(buildQueryString(undefined)).toBe('');
  });

  it('expands path templates with encoded values and refuses missing ones', () => {
    expect(expandPath('/regions/{regionId}/registries/{registryName}:getAuthorizationToken', { regionId: 'cn-north-1', registryName: 'a b' })).toBe(
      '/regions/cn-north-1/registries/a%20b:getAuthorizationToken',
    );
    expect(() => expandPath('/regions/{regionId}', {})).toThrow(JdcloudValidationError);
    expect(() => expandPath('/regions/{regionId}', { regionId: '' })).toThrow('regionId: is required');
  });
});

describe('errors', () => {
  it.each([
    [429, 'RATE_LIMIT', true],
    [429, 'HTTP_RATE_LIMIT_EXCEEDED', true],
    [429, 'QUOTA_EXCEEDED', false],
    [500, 'INTERNAL', true],
    [502, 'HTTP_BAD_GATEWAY', true],
    [503, 'UNAVAILABLE', true],
    [504, 'HTTP_SERVER_TIMING_OUT', true],
    [501, 'NOT_IMPLEMENTED', false],
    [400, 'INVALID_ARGUMENT', false],
    [401, 'UNAUTHENTICATED', false],
    [403, 'HTTP_FORBIDDEN', false],
    [404, 'NOT_FOUND', false],
    [409, 'ALREADY_EXISTS', false],
  ])('%i %s retryable: %s', (code, status, retryable) => {
    expect(isRetryableStatus(code, status)).toBe(retryable);
    expect(new JdcloudApiError({ service: 'cr', action: 'A', code, status, serverMessage: 'm', httpStatus: code }).retryable).toBe(retryable);
  });

  it('renders the documented one-line form, with and without requestId', () => {
    const withId = new JdcloudApiError({ service: 'cr', action: 'GetAuthorizationToken', code: 401, status: 'UNAUTHENTICATED', serverMessage: 'bad', requestId: 'abc', httpStatus: 401 });
    expect(String(withId)).toBe('JD Cloud cr GetAuthorizationToken failed: 401 UNAUTHENTICATED: bad (requestId abc)');
    expect(`${withId}`).toBe(withId.message);
    const withoutId = new JdcloudApiError({ service: 'vpc', action: 'CreateVpc', code: 500, status: 'INTERNAL', serverMessage: 'x', httpStatus: 500 });
    expect(withoutId.toString()).toBe('JD Cloud vpc CreateVpc failed: 500 INTERNAL: x');
    expect(new JdcloudNetworkError('kubernetes', 'DescribeCluster', 'ECONNRESET', { timedOut: false }).toString()).toBe(
      'JD Cloud kubernetes DescribeCluster failed: network error: ECONNRESET',
    );
  });

  it('judges a 2xx carrying an error envelope by its error code', () => {
    expect(new JdcloudApiError({ service: 'cr', action: 'A', code: 503, status: 'UNAVAILABLE', serverMessage: '', httpStatus: 200 }).retryable).toBe(true);
  });
});

describe('credentialsFromEnv', () => {
  it('reads and trims JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY', () => {
    expect(credentialsFromEnv({ JDCLOUD_ACCESS_KEY: ' ak ', JDCLOUD_SECRET_KEY: 'sk\n' })).toEqual({ accessKey: 'ak', secretKey: 'sk' });
  });

  it('names every missing variable and never echoes a value', () => {
    expect(() => credentialsFromEnv({})).toThrow(/^JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY: not set/);
    let message = '';
    try {
      credentialsFromEnv({ JDCLOUD_ACCESS_KEY: 'visible-access-key', JDCLOUD_SECRET_KEY: '  ' });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/^JDCLOUD_SECRET_KEY: not set/);
    expect(message).not.toContain('visible-access-key');
  });
});
