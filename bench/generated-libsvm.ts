/**
 * A generated LIBSVM file of about `megabytes` MB in os.tmpdir(), made once and kept for later runs
 * (the same seed gives the same bytes): typical sparse text rows of 10-60 features with sorted
 * 1-based hashed indices below 2^18 and 6-digit values, labels ±1 at random.
 */
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../src/data/random.js';

export async function generatedLibsvm(megabytes: number): Promise<string> {
  const path = join(tmpdir(), `adagrad-parse-bench-${megabytes}mb.svm`);
  if (existsSync(path)) return path;
  console.log(`generating ${path} ...`);
  const temporary = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(temporary);
  const random = mulberry32(1);
  let written = 0;
  const target = megabytes * 1024 * 1024;
  while (written < target) {
    const lines: string[] = [];
    for (let n = 0; n < 1000; n++) {
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
  return path;
}
