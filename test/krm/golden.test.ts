/**
 * Golden files: test/krm/golden/<case>/input.yaml → expected-output.yaml, byte for byte.
 *
 * The expected outputs are only ever rewritten on purpose:
 *   UPDATE_GOLDEN=1 npx jest test/krm/golden.test.ts
 * then review the diff (git diff test/krm/golden) before committing. Without the variable a drift
 * fails the test. The refresher bundle is a fixed string, so the files do not change when the
 * refresher's code does.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFunction } from '../../lib/krm';
import { FIXED_BUNDLE, parseOutput } from './helpers';

const GOLDEN = join(__dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

test('there are golden cases', () => {
  expect(cases).toEqual(expect.arrayContaining(['typed-config', 'configmap-dotted-keys', 'rerun-with-earlier-output', 'invalid-config', 'plain-stream']));
});

describe.each(cases)('golden %s', (name) => {
  const dir = join(GOLDEN, name);
  const expectedPath = join(dir, 'expected-output.yaml');
  const out = runFunction(readFileSync(join(dir, 'input.yaml'), 'utf8'), { refresherBundle: FIXED_BUNDLE });
  if (UPDATE) writeFileSync(expectedPath, out.outputText);

  test('output equals expected-output.yaml (regenerate deliberately with UPDATE_GOLDEN=1)', () => {
    if (!existsSync(expectedPath)) throw new Error(`${expectedPath} is missing. Fix: run UPDATE_GOLDEN=1 npx jest test/krm/golden.test.ts and review it`);
    expect(out.outputText).toBe(readFileSync(expectedPath, 'utf8'));
  });

  test('exit code is non-zero exactly when a result is an error (2: every golden error is bad input)', () => {
    const { results } = parseOutput(out.outputText);
    expect(out.exitCode).toBe(results.some((r) => r.severity === 'error') ? 2 : 0);
  });

  test('the expected output is a fixed point: running on it gives it back', () => {
    const again = runFunction(out.outputText, { refresherBundle: FIXED_BUNDLE });
    expect(again.outputText).toBe(out.outputText);
    expect(again.exitCode).toBe(out.exitCode);
  });
});
