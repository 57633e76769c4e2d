import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { featureIndex, logisticLoss as logLoss, tokenize } from '../src/index.js';
import spamSample from '../web/lib/spam-sample.json' with { type: 'json' };
import {
  createTrainingRun,
  DEFAULT_LR,
  hashMessages,
  HASH_BITS,
  type HashedMessage,
} from '../web/sections/implementation/training-model.js';

describe('the spam sample', () => {
  it('is a few hundred labelled messages, both classes present, small enough for the page', () => {
    const { messages } = spamSample;
    expect(messages.length).toBeGreaterThanOrEqual(300);
    const spam = messages.filter((m) => m.spam === 1).length;
    expect(spam / messages.length).toBeGreaterThan(0.25);
    expect(spam / messages.length).toBeLessThan(0.6);
    expect(JSON.stringify(spamSample).length).toBeLessThan(300 * 1024);
  });

  it('is exactly what scripts/spam-sample.mjs makes from the corpus (deterministic, not hand-edited)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spam-sample-'));
    try {
      const out = join(dir, 'sample.json');
      const script = fileURLToPath(new URL('../scripts/spam-sample.mjs', import.meta.url));
      execFileSync(process.execPath, [script, out], { stdio: 'pipe' });
      const committed = readFileSync(new URL('../web/lib/spam-sample.json', import.meta.url), 'utf8');
      expect(readFileSync(out, 'utf8')).toBe(committed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hashMessages', () => {
  const data = hashMessages(spamSample.messages);

  it('hashes each distinct word with the library into log counts of unit length', () => {
    const text = 'Free money, FREE money free';
    const [m] = hashMessages([{ spam: 1, text }]);
    const free = featureIndex('', 'free', HASH_BITS);
    const money = featureIndex('', 'money', HASH_BITS);
    expect(tokenize(text)).toEqual(['free', 'money', 'free', 'money', 'free']);
    expect(Array.from(m.indices)).toEqual([free, money].sort((a, b) => a - b));
    // counts 3 and 2 -> 1 + ln 3 and 1 + ln 2, divided by the row's length
    const norm = Math.hypot(1 + Math.log(3), 1 + Math.log(2));
    expect(m.values[m.indices.indexOf(free)]).toBeCloseTo((1 + Math.log(3)) / norm, 6);
    expect(m.values[m.indices.indexOf(money)]).toBeCloseTo((1 + Math.log(2)) / norm, 6);
  });

  it('keeps every index inside the hashed space, sorted and distinct', () => {
    const bad = data.filter((m) =>
      m.indices.some((v, j) => v >= 2 ** HASH_BITS || (j > 0 && v <= m.indices[j - 1])),
    );
    expect(bad).toEqual([]);
    expect(data.every((m) => m.indices.length > 0)).toBe(true);
  });

  it('rejects a label that is not 0 or 1, naming the message', () => {
    expect(() =>
      hashMessages([
        { spam: 0, text: 'a' },
        { spam: -1, text: 'b' },
      ]),
    ).toThrow(/message 1: label/);
  });
});

// The demo scores with the library's logistic loss (the learner's own).
describe('logLoss', () => {
  it('is ln 2 at z = 0 and -log σ(z) for spam, -log(1 - σ(z)) for ham', () => {
    expect(logLoss(0, 1)).toBeCloseTo(Math.LN2, 15);
    expect(logLoss(0, 0)).toBeCloseTo(Math.LN2, 15);
    for (const z of [-3, -0.5, 0.7, 4]) {
      const sigma = 1 / (1 + Math.exp(-z));
      expect(logLoss(z, 1)).toBeCloseTo(-Math.log(sigma), 12);
      expect(logLoss(z, 0)).toBeCloseTo(-Math.log(1 - sigma), 12);
    }
  });

  it('stays finite far out: log(1 + e^1000) is 1000', () => {
    expect(logLoss(1000, 0)).toBe(1000);
    expect(logLoss(-1000, 1)).toBe(1000);
  });
});

describe('createTrainingRun', () => {
  const data = hashMessages(spamSample.messages);
  const first: HashedMessage = data[0];

  it('scores the first message at ln 2 (all weights zero) before learning from it', () => {
    const run = createTrainingRun('adagrad', 1, data);
    run.advance(1);
    expect(run.curve[0]).toBeCloseTo(Math.LN2, 15);
  });

  it("AdaGrad's first step moves each word's weight by lr against the gradient's sign (G = g², so g / sqrt(G) = ±1)", () => {
    const lr = 0.7;
    const run = createTrainingRun('adagrad', lr, data);
    run.advance(1);
    // σ(0) - y is -0.5 for spam and +0.5 for ham: spam words go up by lr, ham words down.
    const direction = first.spam === 1 ? 1 : -1;
    // (eps = 1e-10 in sqrt(G) + eps shortens it by a relative 1e-10 / |g|, under 1e-7 here)
    for (const i of first.indices) expect(run.learner.weight(i)).toBeCloseTo(direction * lr, 7);
    expect(run.learner.b[0]).toBeCloseTo(direction * lr, 7);
  });

  it("SGD's first step is lr · 0.5 · x_i: proportional to each word's feature value", () => {
    const lr = 2;
    const run = createTrainingRun('sgd', lr, data);
    run.advance(1);
    const direction = first.spam === 1 ? 1 : -1;
    first.indices.forEach((i, j) =>
      // The learner keeps float32 weights: equal to float32 precision.
      expect(run.learner.weight(i)).toBeCloseTo(direction * lr * 0.5 * first.values[j], 6),
    );
  });

  it('advances in chunks to the end of one pass, and the average loss goes down for both', () => {
    for (const kind of ['sgd', 'adagrad'] as const) {
      const run = createTrainingRun(kind, DEFAULT_LR[kind], data);
      expect(run.advance(100)).toBe(false);
      expect(run.seen).toBe(100);
      expect(run.advance(data.length)).toBe(true);
      expect(run.curve.length).toBe(data.length);
      const last = run.curve[run.curve.length - 1];
      expect(last).toBeLessThan(0.5);
      expect(last).toBeLessThan(run.curve[49]);
      expect(run.accuracy).toBeGreaterThan(0.75);
    }
  });

  it('AdaGrad at its default rate ends with a lower average loss than SGD at its default (the claim the page makes)', () => {
    const sgd = createTrainingRun('sgd', DEFAULT_LR.sgd, data);
    const adagrad = createTrainingRun('adagrad', DEFAULT_LR.adagrad, data);
    sgd.advance(data.length);
    adagrad.advance(data.length);
    expect(adagrad.curve[data.length - 1]).toBeLessThan(sgd.curve[data.length - 1] - 0.05);
  });

  it('rejects a learning rate that is not a positive number', () => {
    expect(() => createTrainingRun('sgd', 0, data)).toThrow(/lr must be a positive number, got 0/);
    expect(() => createTrainingRun('sgd', Number.NaN, data)).toThrow(/lr must be a positive number/);
  });
});
