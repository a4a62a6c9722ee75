/** The process wrapper in-process, with fake streams: what reaches stdout/stderr and the exit code. */
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../lib/krm/main';
import { configMap, parseOutput, resourceList } from './helpers';

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => Buffer.concat(chunks).toString('utf8');
  return w;
}

function io(input: string, tty = false) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (tty) stdin.isTTY = true;
  stdin.end(input);
  return { stdin, stdout: sink(), stderr: sink() };
}

const ENV = { PATH: process.env.PATH };

test('stdin → one ResourceList on stdout, warnings on stderr, console restored afterwards', async () => {
  // refresher.enabled=false: no need for the built refresher bundle in an in-process test.
  const streams = io(resourceList([], configMap({ 'registry.name': 'acme', 'refresher.enabled': 'false', 'admin.tokenSecret': 'true' })));
  const log = console.log;
  const code = await main([], ENV, streams);
  expect(code).toBe(0);
  expect(parseOutput(streams.stdout.text()).items.length).toBeGreaterThan(5);
  expect(streams.stderr.text()).toMatch(/^warning: /m);
  expect(console.log).toBe(log);
});

test('a terminal on stdin gets the usage instead of a hang (exit 2, nothing on stdout)', async () => {
  const streams = io('', true);
  expect(await main([], ENV, streams)).toBe(2);
  expect(streams.stdout.text()).toBe('');
  expect(streams.stderr.text()).toMatch(/^error: stdin is a terminal; pipe a ResourceList in\.\njcrkit-fn: a KRM function/);
});

test('invalid config: exit 2 (bad input) and still exactly one ResourceList on stdout', async () => {
  const streams = io(resourceList([], configMap({ 'registry.name': 'X' })));
  expect(await main([], ENV, streams)).toBe(2);
  expect(parseOutput(streams.stdout.text()).results[0]).toMatchObject({ severity: 'error', field: { path: "data['registry.name']" } });
  expect(streams.stderr.text()).toMatch(/^error: invalid config \(functionConfig ConfigMap\/function-input\):\n {2}registry\.name: /);
});
