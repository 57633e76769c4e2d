/** Ctrl-C during training: the current example finishes, the model and optimizer state are saved, exit 130. */
import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli, removeScratch, cliProcess, DATA, scratch } from './data/cli/helpers.js';

afterAll(removeScratch);

/** Enough lines that training is still running when the signal arrives (about 30 MB, a few seconds). */
async function writeLargeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  let seed = 12345;
  const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let block = 0; block < 40; block++) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const label = random() < 0.5 ? '+1' : '-1';
      const features: string[] = [];
      let index = 0;
      for (let j = 0; j < 20; j++) {
        index += 1 + Math.floor(random() * 1000);
        features.push(`${index}:${(random() + (label === '+1' && j < 3 ? 1 : 0)).toFixed(3)}`);
      }
      lines.push(`${label} ${features.join(' ')}`);
    }
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

it('SIGINT saves the model and exits 130', async () => {
  const dir = scratch();
  const data = join(dir, 'large.svm');
  const model = join(dir, 'large.model');
  await writeLargeInput(data);
  const child = cliProcess(['train', data, '--model', model, '--passes', '5']);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // Signal once training has printed a few table rows (so the model has learned something).
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (/\n\S+\s+\S+\s+1024\s/.test(stdout)) resolve();
    });
  });
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(130);
  expect(stderr).toMatch(
    /^adagrad: interrupted: saved the model and optimizer state to .*large\.model after \d+ examples/,
  );
  expect(existsSync(model)).toBe(true);
  // The saved model is whole (checksum) and usable, and says how far training got.
  const predicted = cli([
    'predict',
    join(DATA, 'tiny.svm'),
    '--model',
    model,
    '--json',
    '--metrics',
    '--bits',
    '18',
  ]);
  expect(predicted.code).toBe(0);
  const resumed = cli(['train', data, '--model', model, '--resume', '--json', '--passes', '1']);
  expect(resumed.code).toBe(0);
  const summary = JSON.parse(resumed.stdout.trim().split('\n').pop()!);
  expect(summary.passes).toBe(1); // the interrupted pass was not complete: it does not count
}, 60_000);
