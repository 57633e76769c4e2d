/**
 * Corpus loading and export times: `npx tsx bench/parse-corpora.bench.ts`.
 * The spam corpus is 6046 JSON files (~32 M characters of mail); this shows where the time goes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashedBagOfWords } from '../src/data/features.js';
import { loadCorpus, loadSpamMessages } from '../src/data/node/corpora.js';
import { exportDataset } from '../src/data/node/export.js';
import { tokenizeMail } from '../src/data/tokenize.js';

function time<T>(label: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  console.log(`${label.padEnd(40)} ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
  return result;
}

const messages = time('spam: read the package (6046 messages)', loadSpamMessages);
const characters = messages.reduce((sum, m) => sum + m.text.length, 0);
const tokens = time('spam: tokenizeMail', () => messages.map((m) => tokenizeMail(m.text)));
const tokenCount = tokens.reduce((sum, t) => sum + t.length, 0);
time('spam: hash + log counts + L2 norm', () => tokens.map((t) => hashedBagOfWords(t, 18)));
console.log(`  (${(characters / 1e6).toFixed(1)} M characters, ${(tokenCount / 1e6).toFixed(2)} M tokens)`);
time("loadCorpus('spam') end to end", () => loadCorpus('spam'));
time("loadCorpus('boston')", () => loadCorpus('boston'));
const directory = mkdtempSync(join(tmpdir(), 'adagrad-export-bench-'));
time("exportDataset('spam') end to end", () => exportDataset('spam', join(directory, 'spam')));
rmSync(directory, { recursive: true, force: true });
