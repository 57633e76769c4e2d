/** A reader that closes the pipe early (`adagrad predict ... | head -1`): no stack trace, work finished. */
import { once } from 'node:events';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli, cliProcess, DATA, removeScratch, scratch } from './data/cli/helpers.js';

afterAll(removeScratch);

it('predict into a pipe closed after its first line exits 0, finishes, and prints no stack trace', async () => {
  const dir = scratch();
  const model = join(dir, 'tiny.model');
  expect(cli(['train', join(DATA, 'tiny.svm'), '--model', model]).code).toBe(0);
  // Enough predictions that the output outlasts the pipe: the tiny file, many times over.
  const many = join(dir, 'many.svm');
  writeFileSync(many, readFileSync(join(DATA, 'tiny.svm'), 'utf8').repeat(2000));
  const child = cliProcess(['predict', many, '--model', model]);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await once(child.stdout, 'data');
  child.stdout.destroy();
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  // The metrics (on stderr) show it predicted every example.
  expect(stderr).toMatch(/examples\s+120000/);
  expect(code).toBe(0);
});

it('train whose summary goes into a closed pipe still writes its model', async () => {
  const dir = scratch();
  const model = join(dir, 'tiny.model');
  // A copy in the scratch directory: several passes write a cache beside the data.
  const data = join(dir, 'tiny.svm');
  copyFileSync(join(DATA, 'tiny.svm'), data);
  const child = cliProcess(['train', data, '--model', model, '--passes', '3']);
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(existsSync(model)).toBe(true);
});
