/**
 * One pass of the learner against liblinear's logistic regression (Debian's liblinear-tools,
 * `liblinear-train -s 0`) on the `spam` export (`adagrad dataset spam`: seeded 80/20 split, LIBSVM),
 * measured in one run: test accuracy for liblinear at C = 1, 10, 100 and for us with the defaults,
 * and wall-clock train + predict time from the files (parsing included on both sides; liblinear's
 * as two processes, ours in this process).
 *
 * Run: npx tsx bench/learner-liblinear.ts (needs liblinear-train and liblinear-predict on PATH).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDataset, readExamples } from '../src/data/node/index.js';
import { LinearLearner } from '../src/learn/index.js';

const dir = mkdtempSync(join(tmpdir(), 'adagrad-liblinear-'));
try {
  const prefix = join(dir, 'spam');
  exportDataset('spam', prefix, { testFraction: 0.2, seed: 1 });
  const train = `${prefix}.train.svm`;
  const test = `${prefix}.test.svm`;

  const liblinear = (c: number): { accuracy: number; seconds: number } => {
    const model = join(dir, `liblinear-C${c}.model`);
    const started = performance.now();
    execFileSync('liblinear-train', ['-s', '0', '-c', String(c), '-q', train, model]);
    const out = execFileSync('liblinear-predict', [test, model, join(dir, 'pred.txt')], { encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    const m = /Accuracy = ([\d.]+)%/.exec(out);
    if (m === null) throw new Error(`unexpected liblinear-predict output: ${out}`);
    return { accuracy: Number(m[1]) / 100, seconds };
  };

  const ours = async (): Promise<{ accuracy: number; seconds: number }> => {
    const started = performance.now();
    const learner = new LinearLearner({ bits: 18 });
    for await (const batch of readExamples(train, { bits: 18 }).batches())
      for (const ex of batch) learner.learn(ex);
    let correct = 0;
    let count = 0;
    for await (const batch of readExamples(test, { bits: 18 }).batches()) {
      for (const ex of batch) {
        correct += learner.predict(ex) > 0.5 === ex.label > 0 ? 1 : 0;
        count++;
      }
    }
    return { accuracy: correct / count, seconds: (performance.now() - started) / 1000 };
  };

  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  await ours(); // warm-up: module loading and JIT
  const mine = await ours();
  console.log(
    `adagrad, defaults, one pass: accuracy ${pct(mine.accuracy)}, train + predict ${mine.seconds.toFixed(3)} s`,
  );
  for (const c of [1, 10, 100]) {
    const r = liblinear(c);
    console.log(
      `liblinear -s 0 -c ${c}: accuracy ${pct(r.accuracy)}, train + predict ${r.seconds.toFixed(3)} s`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
