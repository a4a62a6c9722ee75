/**
 * `jcrkit mirror --from-config` wiring through the real CLI root. The copy itself is covered by
 * test/cloud/mirror-from-config.test.ts against real registries; the default images' sources are on
 * Docker Hub, which tests must never contact, so these cases stop before any copy.
 */
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, SK, jdEnv } from '../cloud/helpers';

let cli: CloudCli;
let jd: FakeJdcloud;
beforeAll(async () => {
  cli = cloudCli();
  jd = await startFakeJdcloud({ accounts: { [AK]: SK } });
});
afterAll(async () => {
  cli.dispose();
  await jd.close();
});

test('SRC/DST and --from-config are exclusive; neither is a usage error', async () => {
  const both = await cli.run(['mirror', '--from-config', 'a:1', 'b:1'], { env: jdEnv(jd.url) });
  expect(both.code).toBe(2);
  expect(both.stderr).toBe('error: --from-config takes the images from the config; drop SRC and DST\n');
  const none = await cli.run(['mirror'], { env: jdEnv(jd.url) });
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/name a source and a destination image/);
  expect(jd.requests).toHaveLength(0);
});

test('missing JD Cloud credentials: one line naming both variables, no request', async () => {
  const r = await cli.run(['mirror', '--from-config'], { env: { JDCLOUD_ENDPOINT: jd.url } });
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/set JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY/);
  expect(jd.requests).toHaveLength(0);
});

test('a bad config is reported with the field path before any request', async () => {
  const r = await cli.run(['mirror', '--from-config', '--set', 'registry.name=Bad_Name'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/registry\.name: "Bad_Name" breaks JCR's registry naming rules/);
  expect(jd.requests).toHaveLength(0);
});
