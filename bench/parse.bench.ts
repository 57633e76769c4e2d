/**
 * LIBSVM parsing throughput and memory: `npx tsx bench/parse.bench.ts [sizeMB]`.
 * Generates a ~200 MB file in os.tmpdir() once (kept for later runs), then streams it through the
 * parser, readExamples and the binary cache, printing MB/s (by wall clock, and per CPU second,
 * which a busy shared machine disturbs less) and resident memory sampled during a pass (it should
 * stay flat as the file goes by).
 */
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../src/data/random.js';
import { readExamples } from '../src/data/node/read.js';
import { ExampleParser } from '../src/data/parser.js';
import { openBytes } from '../src/data/node/source.js';
import { cachedExamples } from '../src/data/node/cache.js';

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

/** Runs `pass`, printing MB/s by wall clock and by this process's CPU time (fairer on a busy machine). */
async function measure(label: string, megabytes: number, pass: () => Promise<string>): Promise<void> {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const detail = await pass();
  const wall = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label.padEnd(34)} ${(megabytes / wall).toFixed(0).padStart(5)} MB/s wall, ` +
      `${(megabytes / cpuSeconds).toFixed(0).padStart(5)} MB/s per CPU second${detail ? `, ${detail}` : ''}`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(path)) {
    console.log(`generating ${path} ...`);
    await generate();
  }
  const megabytes = statSync(path).size / 1024 / 1024;
  console.log(`input: ${path} (${megabytes.toFixed(0)} MB), node ${process.version}`);

  await measure('read bytes only', megabytes, async () => {
    for await (const chunk of openBytes(path)) void chunk;
    return '';
  });

  await measure('parse, ExampleParser on chunks', megabytes, async () => {
    const parser = new ExampleParser({ format: 'libsvm', source: path, bits: 18 });
    let nonzeros = 0;
    for await (const chunk of openBytes(path)) {
      for (const example of parser.push(chunk)) nonzeros += example.indices.length;
    }
    parser.finish();
    return `${parser.stats.examples} examples, ${nonzeros} nonzeros`;
  });

  await measure('readExamples().batches()', megabytes, async () => {
    let count = 0;
    for await (const batch of readExamples(path, { bits: 18 }).batches()) count += batch.length;
    return `${count} examples`;
  });

  const samples: number[] = [];
  await measure('readExamples, for await per example', megabytes, async () => {
    let count = 0;
    for await (const example of readExamples(path, { bits: 18 })) {
      if ((++count & 0xffff) === 0) samples.push(residentMB());
      void example;
    }
    return '';
  });
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const show = (from: number, to: number) => Math.max(...samples.slice(from, to)).toFixed(0);
  console.log(
    `resident memory (MB) by quarter of the file: ${show(0, quarter)}, ${show(quarter, 2 * quarter)}, ` +
      `${show(2 * quarter, 3 * quarter)}, ${show(3 * quarter, samples.length)} (flat = constant memory)`,
  );

  const cachePath = `${path}.bench-cache`;
  rmSync(cachePath, { force: true });
  const cached = cachedExamples(path, { bits: 18, cachePath });
  await measure('cache: first pass (parse + write)', megabytes, async () => {
    for await (const batch of cached.batches()) void batch;
    return `cache ${(statSync(cachePath).size / 1024 / 1024).toFixed(0)} MB`;
  });
  await measure('cache: later pass (read cache)', megabytes, async () => {
    for await (const batch of cached.batches()) void batch;
    return '(MB/s of the text it stands for)';
  });
  rmSync(cachePath, { force: true });
}

await main();
