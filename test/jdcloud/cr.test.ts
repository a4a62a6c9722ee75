/** CrApi against the fake, once per service name (`cr` and `containerregistry` share paths and models). */
import { CrApi, CrServiceName, NAME_CHECK } from '../../lib/jdcloud/cr';
import { JdcloudApiError, JdcloudValidationError } from '../../lib/jdcloud/errors';
import { registryHost } from '../../lib/jdcloud/names';
import { decodeAuthorizationToken, parseExpiresAt } from '../../lib/jdcloud/token';
import { Harness, REGION, startHarness } from '../fakes/jdcloud/harness';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.each<CrServiceName>(['cr', 'containerregistry'])('CrApi with service %s', (service) => {
  let h: Harness;
  let cr: CrApi;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date('2024-06-01T00:00:00Z');
    h = await startHarness(
      { now: () => clock, registries: [{ regionId: REGION, name: 'myreg' }] },
      { now: () => clock },
    );
    cr = new CrApi(h.client, { service });
  });
  afterEach(() => h.jd.close());

  it('signs and routes with the chosen service name', async () => {
    expect(cr.service).toBe(service);
    await cr.describeRegistries({ regionId: REGION });
    expect(h.jd.requests[0]).toMatchObject({ service, action: 'DescribeRegistries', status: 200 });
    expect(h.jd.requests[0].headers.authorization).toContain(`/${REGION}/${service}/jdcloud2_request`);
  });

  describe('registries', () => {
    it('creates, describes and lists a registry', async () => {
      const { registry } = await cr.createRegistry({ regionId: REGION, registryName: 'team-a', description: 'images' });
      expect(registry).toMatchObject({ name: 'team-a', registryUri: 'team-a-cn-north-1.jcr.service.jdcloud.com', description: 'images' });
      expect(h.jd.requests[0].body).toEqual({ registryName: 'team-a', description: 'images' });
      await expect(cr.describeRegistry({ regionId: REGION, registryName: 'team-a' })).resolves.toEqual({ registry });
      const { registries } = await cr.describeRegistries({ regionId: REGION });
      expect(registries.map((r) => r.name)).toEqual(['myreg', 'team-a']);
    });

    it('answers 409 ALREADY_EXISTS for a duplicate, without retrying', async () => {
      const e = (await rejection(cr.createRegistry({ regionId: REGION, registryName: 'myreg' }))) as JdcloudApiError;
      expect(e).toBeInstanceOf(JdcloudApiError);
      expect(e).toMatchObject({ code: 409, status: 'ALREADY_EXISTS' });
      expect(h.jd.requests).toHaveLength(1);
    });

    it('refuses an invalid name locally: no request is made', async () => {
      const e = (await rejection(cr.createRegistry({ regionId: REGION, registryName: 'My_Registry' }))) as JdcloudValidationError;
      expect(e).toBeInstanceOf(JdcloudValidationError);
      expect(e.message).toBe("registryName: registry name may contain only lower-case letters, digits and '-'");
      expect(h.jd.requests).toHaveLength(0);
    });

    it.each([
      ['fresh-name', NAME_CHECK.OK],
      ['', NAME_CHECK.EMPTY],
      ['Bad_Name', NAME_CHECK.INVALID],
      ['myreg', NAME_CHECK.DUPLICATE],
    ])('CheckRegistryName %j → code %i', async (registryName, code) => {
      const result = await cr.checkRegistryName({ regionId: REGION, registryName });
      expect(result.code).toBe(code);
      expect(result.reason === undefined).toBe(code === NAME_CHECK.OK);
    });
  });

  describe('repositories', () => {
    it('creates repositories and lists them with a fuzzy name filter via POST listRepositories', async () => {
      const { repository } = await cr.createRepository({ regionId: REGION, registryName: 'myreg', repositoryName: 'kubernetes-dashboard-amd64' });
      expect(repository).toMatchObject({
        repositoryName: 'kubernetes-dashboard-amd64',
        repositoryUri: `${registryHost('myreg', REGION)}/kubernetes-dashboard-amd64`,
      });
      await cr.createRepository({ regionId: REGION, registryName: 'myreg', repositoryName: 'team/app' });
      const listed = await cr.describeRepositories({ regionId: REGION, filters: [{ name: 'name', values: ['dashboard'] }], pageSize: 10 });
      expect(listed.totalCount).toBe(1);
      expect(listed.repositories[0]).toMatchObject({ registryName: 'myreg', repositoryName: 'kubernetes-dashboard-amd64' });
      const last = h.jd.requests[h.jd.requests.length - 1];
      expect(last).toMatchObject({ method: 'POST', path: '/v1/regions/cn-north-1/listRepositories', action: 'DescribeRepositories' });
      expect(last.body).toEqual({ filters: [{ name: 'name', values: ['dashboard'] }], pageSize: 10 });
    });

    it('rejects a page size outside 10–100 (server side)', async () => {
      const e = (await rejection(cr.describeRepositories({ regionId: REGION, pageSize: 5 }))) as JdcloudApiError;
      expect(e).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    });

    it('answers 404 for a repository in a registry that does not exist', async () => {
      const e = (await rejection(cr.createRepository({ regionId: REGION, registryName: 'ghost', repositoryName: 'app' }))) as JdcloudApiError;
      expect(e).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    });

    it('refuses an invalid repository name locally', async () => {
      const e = (await rejection(cr.createRepository({ regionId: REGION, registryName: 'myreg', repositoryName: 'a/b/c' }))) as JdcloudValidationError;
      expect(e.field).toBe('repositoryName');
      expect(e.message).toContain('at most two levels');
      expect(h.jd.requests).toHaveLength(0);
    });

    it('checks repository names with codes 0–3', async () => {
      await cr.createRepository({ regionId: REGION, registryName: 'myreg', repositoryName: 'app' });
      const check = (repositoryName: string) => cr.checkRepositoryName({ regionId: REGION, registryName: 'myreg', repositoryName });
      expect((await check('other')).code).toBe(NAME_CHECK.OK);
      expect((await check('')).code).toBe(NAME_CHECK.EMPTY);
      expect((await check('has.dot')).code).toBe(NAME_CHECK.INVALID);
      expect((await check('app')).code).toBe(NAME_CHECK.DUPLICATE);
    });
  });

  describe('authorization tokens', () => {
    it('gets a token that decodes to jdcloud:<password> and expires after the requested hours', async () => {
      const data = await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg', expiredAfterHours: 6 });
      expect(h.jd.requests[0].body).toEqual({ expiredAfterHours: 6 });
      const credentials = decodeAuthorizationToken(data.authorizationToken);
      expect(credentials).toEqual({ username: 'jdcloud', password: h.jd.state.tokens[0].password });
      expect(parseExpiresAt(data.expiresAt)?.toISOString()).toBe('2024-06-01T06:00:00.000Z');
      expect(data.loginCmdLine).toBe(`docker login -u jdcloud -p ${credentials.password} myreg-cn-north-1.jcr.service.jdcloud.com`);
    });

    it('leaves expiredAfterHours out of the body when not given (service default 12 h)', async () => {
      const data = await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' });
      expect(h.jd.requests[0].body).toEqual({});
      expect(parseExpiresAt(data.expiresAt)?.toISOString()).toBe('2024-06-01T12:00:00.000Z');
    });

    it.each([0, 25, 1.5, Number.NaN])('refuses expiredAfterHours %p locally', async (hours) => {
      const e = (await rejection(cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg', expiredAfterHours: hours }))) as JdcloudValidationError;
      expect(e).toBeInstanceOf(JdcloudValidationError);
      expect(e.field).toBe('expiredAfterHours');
      expect(h.jd.requests).toHaveLength(0);
    });

    it('enforces 5 tokens per hour per registry with a non-retried 429 QUOTA_EXCEEDED, and frees the quota an hour later', async () => {
      for (let i = 0; i < 5; i++) await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' });
      const e = (await rejection(cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' }))) as JdcloudApiError;
      expect(e).toMatchObject({ code: 429, status: 'QUOTA_EXCEEDED', retryable: false });
      expect(h.jd.requests).toHaveLength(6);
      expect(h.sleeps).toEqual([]);
      clock = new Date(clock.getTime() + 60 * 60_000);
      await expect(cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' })).resolves.toHaveProperty('authorizationToken');
    });

    it('lists live tokens and releases one, then all', async () => {
      const a = await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' });
      const b = await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' });
      const listed = await cr.describeAuthorizationTokens({ regionId: REGION, registryName: 'myreg' });
      expect(listed.totalCount).toBe(2);
      expect(listed.authorizationTokens.map((t) => t.authorizationToken)).toEqual([a.authorizationToken, b.authorizationToken]);

      await cr.releaseAuthorizationToken({ regionId: REGION, registryName: 'myreg', authorizationToken: a.authorizationToken });
      const after = await cr.describeAuthorizationTokens({ regionId: REGION, registryName: 'myreg' });
      expect(after.authorizationTokens.map((t) => t.authorizationToken)).toEqual([b.authorizationToken]);

      await cr.releaseAuthorizationToken({ regionId: REGION, registryName: 'myreg', forceAll: true });
      expect((await cr.describeAuthorizationTokens({ regionId: REGION, registryName: 'myreg' })).totalCount).toBe(0);
    });

    it('filters listed tokens with flattened query filters', async () => {
      const a = await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' });
      await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg' });
      const listed = await cr.describeAuthorizationTokens({ regionId: REGION, registryName: 'myreg', filters: [{ name: 'token', values: [a.authorizationToken] }] });
      expect(listed.authorizationTokens.map((t) => t.authorizationToken)).toEqual([a.authorizationToken]);
      expect(h.jd.requests[2].query.map(([k]) => k)).toEqual(['filters.1.name', 'filters.1.values.1']);
    });

    it('does not list expired tokens', async () => {
      await cr.getAuthorizationToken({ regionId: REGION, registryName: 'myreg', expiredAfterHours: 1 });
      clock = new Date(clock.getTime() + 61 * 60_000);
      expect((await cr.describeAuthorizationTokens({ regionId: REGION, registryName: 'myreg' })).totalCount).toBe(0);
    });

    it('requires a token or forceAll to release', async () => {
      await expect(cr.releaseAuthorizationToken({ regionId: REGION, registryName: 'myreg' })).rejects.toBeInstanceOf(JdcloudValidationError);
      expect(h.jd.requests).toHaveLength(0);
    });

    it('answers 404 for a token of a registry that does not exist', async () => {
      const e = (await rejection(cr.getAuthorizationToken({ regionId: REGION, registryName: 'ghost' }))) as JdcloudApiError;
      expect(e.toString()).toMatch(new RegExp(`^JD Cloud ${service} GetAuthorizationToken failed: 404 NOT_FOUND: registry ghost not found in cn-north-1 \\(requestId [a-z0-9]+\\)$`));
    });
  });
});

describe('CrApi construction', () => {
  it('rejects an unknown service name', () => {
    const client = {} as never;
    expect(() => new CrApi(client, { service: 'registry' as CrServiceName })).toThrow('service: must be one of cr, containerregistry (got registry)');
  });

  it('passes a password containing colons through intact', async () => {
    const h = await startHarness({ registries: [{ regionId: REGION, name: 'myreg' }], settings: { tokenPassword: () => 'pa:ss:word' } });
    try {
      const data = await new CrApi(h.client).getAuthorizationToken({ regionId: REGION, registryName: 'myreg' });
      expect(decodeAuthorizationToken(data.authorizationToken)).toEqual({ username: 'jdcloud', password: 'pa:ss:word' });
    } finally {
      await h.jd.close();
    }
  });
});
