/**
 * Resident memory of `adagrad train` as the input grows: `npx tsx bench/train-memory.bench.ts [MB ...]`
 * (default 100 and 1024; needs `npm run build:lib`). Each size is a generated LIBSVM file
 * (bench/generated-libsvm.ts), trained on for one pass by the built command in its own process, as a
 * user runs it; the peak resident set size is what the kernel reports for that process
 * (process.resourceUsage().maxRSS, read at exit). Target: a 1 GB file in under 200 MB, and about the
 * same peak for every size (streaming: memory does not grow with the input).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedLibsvm } from './generated-libsvm.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli', 'main.js');
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [100, 1024];

// Loaded before the command: prints the process's peak resident memory (kilobytes) when it exits.
const reportPeak =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("maxRSS "+process.resourceUsage().maxRSS+"\\n"))';

interface Row {
  inputMB: number;
  seconds: number;
  peakResidentMB: number;
}

const rows: Row[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'adagrad-train-memory-'));
try {
  for (const megabytes of sizes) {
    const input = await generatedLibsvm(megabytes);
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      ['--import', reportPeak, cli, 'train', input, '--model', join(scratch, 'm.bin'), '--quiet'],
      { encoding: 'utf8' },
    );
    const seconds = (performance.now() - started) / 1000;
    const peak = /maxRSS (\d+)/.exec(run.stderr);
    if (run.status !== 0 || peak === null) {
      throw new Error(`adagrad train failed on ${input} (exit ${run.status}): ${run.stderr.trim()}`);
    }
    const row = {
      inputMB: Math.round(statSync(input).size / 1024 / 1024),
      seconds,
      peakResidentMB: Number(peak[1]) / 1024,
    };
    rows.push(row);
    console.log(
      `${String(row.inputMB).padStart(5)} MB input: peak resident ${row.peakResidentMB.toFixed(0)} MB, ` +
        `${seconds.toFixed(1)} s (${(row.inputMB / seconds).toFixed(0)} MB/s end to end)`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const results = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  loadAverage: loadavg(),
  rows,
};
writeFileSync(join(here, 'train-memory-results.json'), JSON.stringify(results, null, 2) + '\n');
