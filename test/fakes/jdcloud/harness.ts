/** Shared set-up for tests that drive the JD Cloud client against the fake server. */
import { JdcloudClient, JdcloudClientOptions } from '../../../lib/jdcloud/client';
import { FakeJdcloud, FakeJdcloudOptions, startFakeJdcloud } from './server';

export { TEST_ACCESS_KEY, TEST_SECRET_KEY, TEST_REGION as REGION } from '../credentials';
import { TEST_ACCESS_KEY, TEST_SECRET_KEY } from '../credentials';

export interface Harness {
  jd: FakeJdcloud;
  client: JdcloudClient;
  /** Delays the client asked to sleep, in order (the sleep itself returns at once). */
  sleeps: number[];
}

/** Start a fake with the test account and a client pointed at it (instant sleeps). */
export async function startHarness(
  fakeOptions: Partial<FakeJdcloudOptions> = {},
  clientOptions: Partial<JdcloudClientOptions> = {},
): Promise<Harness> {
  const jd = await startFakeJdcloud({ accounts: { [TEST_ACCESS_KEY]: TEST_SECRET_KEY }, ...fakeOptions });
  const sleeps: number[] = [];
  const client = new JdcloudClient({
    accessKey: TEST_ACCESS_KEY,
    secretKey: TEST_SECRET_KEY,
    endpoint: jd.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...clientOptions,
  });
  return { jd, client, sleeps };
}
