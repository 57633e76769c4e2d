/**
 * LIBSVM parsing throughput and memory: `npx tsx bench/parse.bench.ts [sizeMB]`.
 * Generates a ~200 MB file in os.tmpdir() once (kept for later runs), then streams it through
 * readExamples, printing MB/s and resident memory sampled during the pass (it should stay flat).
 */
import { createWriteStream, existsSync, statSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../src/data/random.js';
import { readExamples } from '../src/data/node/read.js';
import { ExampleParser } from '../src/data/parser.js';
import { openBytes } from '../src/data/node/source.js';

const targetMB = Number(process.argv[2] ?? 200);
const path = join(tmpdir(), `adagrad-parse-bench-${targetMB}mb.svm`);

async function generate(): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(temporary);
  const random = mulberry32(1);
  let written = 0;
  const target = targetMB * 1024 * 1024;
  while (written < target) {
    const lines: string[] = [];
    for (let n = 0; n < 1000; n++) {
      // A typical sparse text row: 10-60 features, sorted 1-based hashed indices, 6-digit values.
      const count = 10 + Math.floor(random() * 50);
      const indices = new Set<number>();
      while (indices.size < count) indices.add(1 + Math.floor(random() * 262144));
      const sorted = [...indices].sort((a, b) => a - b);
      const label = random() < 0.5 ? '-1' : '+1';
      lines.push(label + ' ' + sorted.map((i) => `${i}:${random().toFixed(6)}`).join(' '));
    }
    const block = lines.join('\n') + '\n';
    written += Buffer.byteLength(block);
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(temporary, path);
}

function residentMB(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

async function main(): Promise<void> {
  if (!existsSync(path)) {
    console.log(`generating ${path} ...`);
    await generate();
  }
  const megabytes = statSync(path).size / 1024 / 1024;
  console.log(`input: ${path} (${megabytes.toFixed(0)} MB)`);

  // 1. Bytes only: the floor set by the file system.
  let start = performance.now();
  for await (const chunk of openBytes(path)) void chunk;
  let seconds = (performance.now() - start) / 1000;
  console.log(`read bytes only:            ${(megabytes / seconds).toFixed(0)} MB/s`);

  // 2. Parser on chunks, examples taken in batches (what a batch consumer sees).
  start = performance.now();
  const parser = new ExampleParser({ format: 'libsvm', source: path, bits: 18 });
  let nonzeros = 0;
  for await (const chunk of openBytes(path)) {
    for (const example of parser.push(chunk)) nonzeros += example.indices.length;
  }
  parser.finish();
  seconds = (performance.now() - start) / 1000;
  console.log(
    `parse, batches per chunk:   ${(megabytes / seconds).toFixed(0)} MB/s, ` +
      `${(parser.stats.examples / seconds / 1e6).toFixed(2)} M examples/s, ${(nonzeros / seconds / 1e6).toFixed(1)} M nonzeros/s`,
  );

  // 3. readExamples, one example per `for await` step (what the learner sees), memory sampled.
  const samples: number[] = [];
  start = performance.now();
  const data = readExamples(path, { bits: 18 });
  let count = 0;
  for await (const example of data) {
    if ((++count & 0xffff) === 0) samples.push(residentMB());
    void example;
  }
  seconds = (performance.now() - start) / 1000;
  console.log(
    `readExamples (for await):   ${(megabytes / seconds).toFixed(0)} MB/s, ${data.stats.examples} examples`,
  );
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const show = (from: number, to: number) => Math.max(...samples.slice(from, to)).toFixed(0);
  console.log(
    `resident memory (MB) by quarter of the file: ${show(0, quarter)}, ${show(quarter, 2 * quarter)}, ` +
      `${show(2 * quarter, 3 * quarter)}, ${show(3 * quarter, samples.length)} (flat = constant memory)`,
  );
}

await main();
