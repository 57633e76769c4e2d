/**
 * LIBSVM parsing throughput and memory: `npx tsx bench/parse.bench.ts [sizeMB]`.
 * Generates a ~200 MB file in os.tmpdir() once (kept for later runs), then streams it through the
 * parser, readExamples and the binary cache, printing MB/s (by wall clock, and per CPU second,
 * which a busy shared machine disturbs less) and resident memory sampled during a pass (it should
 * stay flat as the file goes by).
 */
import { rmSync, statSync } from 'node:fs';
import { readExamples } from '../src/data/node/read.js';
import { ExampleParser } from '../src/data/parser.js';
import { openBytes } from '../src/data/node/source.js';
import { cachedExamples } from '../src/data/node/cache.js';
import { generatedLibsvm } from './generated-libsvm.js';

const targetMB = Number(process.argv[2] ?? 200);

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
  const path = await generatedLibsvm(targetMB);
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
