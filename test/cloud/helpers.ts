/** Shared set-up for cloud command tests: the fake JD Cloud, config files, a clean env. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedRequest } from '../fakes/jdcloud/server';

import { TEST_ACCESS_KEY as AK, TEST_SECRET_KEY as SK } from '../fakes/credentials';
export { TEST_ACCESS_KEY as AK, TEST_SECRET_KEY as SK, TEST_REGION as REGION } from '../fakes/credentials';

export function jdEnv(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, JDCLOUD_ENDPOINT: url, ...extra };
}

export interface TempDir {
  path: string;
  file(name: string, text: string): string;
  remove(): void;
}

export function tempDir(prefix = 'jcrkit-cloud-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name, text) => {
      const p = join(path, name);
      writeFileSync(p, text);
      return p;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** API names of the recorded requests, in order. */
export const actions = (requests: RecordedRequest[]): string[] => requests.map((r) => r.action ?? `${r.method} ${r.path}`);
export const creates = (requests: RecordedRequest[]): string[] => actions(requests).filter((a) => /^Create/.test(a));

/** Every occurrence of a secret in the given texts. */
export function leaks(texts: string[], secrets: string[]): string[] {
  return secrets.filter((s) => s.length >= 4 && texts.some((t) => t.includes(s)));
}
