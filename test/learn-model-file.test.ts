// Model files: save, load and resume give exactly the uninterrupted run; damaged files are refused
// with the right kind of error; writes are atomic.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Example } from '../src/data/example.js';
import { encodeModel, LinearLearner, MlpRegressor, type LearnerOptionsInput } from '../src/learn/index.js';
import {
  checkCompatible,
  loadModel,
  ModelFileError,
  readModelFile,
  saveModel,
} from '../src/learn/node/index.js';
import { sparseProblem } from './learn-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'adagrad-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectSameLearner(a: LinearLearner, b: LinearLearner): void {
  expect(Array.from(b.w)).toEqual(Array.from(a.w));
  expect(Array.from(b.b)).toEqual(Array.from(a.b));
  if (a.gw) expect(Array.from(b.gw!)).toEqual(Array.from(a.gw));
  expect(b.updates).toBe(a.updates);
  expect(b.examplesSeen).toBe(a.examplesSeen);
}

describe('resume continues exactly (bit for bit)', () => {
  const cases: [string, LearnerOptionsInput, Parameters<typeof sparseProblem>[0]['labels']][] = [
    ['adagrad logistic with lazy L2', { bits: 8, l2: 0.005, lr: 0.4 }, 'binary'],
    ['adagrad keras preset, hinge', { bits: 7, loss: 'hinge', preset: 'keras', lr: 0.1 }, 'binary'],
    ['sgd softmax', { bits: 6, loss: 'softmax', classes: 3, optimizer: 'sgd', lr: 0.5 }, 3],
    ['adam (dense steps, state in the file)', { bits: 5, optimizer: 'adam', lr: 0.01, l2: 0.001 }, 'binary'],
    ['rmsprop squared', { bits: 5, loss: 'squared', optimizer: 'rmsprop', lr: 0.01 }, 'real'],
    ['dense adam (lazy: false)', { bits: 5, optimizer: 'adam', lr: 0.01, lazy: false }, 'binary'],
    ['ftrl with l1 and l2', { bits: 6, optimizer: 'ftrl', lr: 0.5, l1: 0.05, l2: 0.1 }, 'binary'],
    ['dual averaging with l1', { bits: 6, optimizer: 'adagrad-da', lr: 0.5, l1: 0.002 }, 'binary'],
    ['adagrad with l1 and l2', { bits: 6, lr: 0.3, l1: 0.01, l2: 0.02 }, 'binary'],
  ];
  for (const [name, options, labels] of cases) {
    it(name, () => {
      const examples = sparseProblem({ examples: 240, bits: options.bits as number, nonzeros: 4, labels });
      const whole = new LinearLearner(options);
      for (const ex of examples) whole.learn(ex);
      const first = new LinearLearner(options);
      for (const ex of examples.slice(0, 100)) first.learn(ex);
      const path = join(dir, `${name.replace(/\W+/g, '-')}.model`);
      saveModel(path, first, { features: { format: 'test', bits: options.bits } });
      const { model, features } = readModelFile(path);
      expect(features).toEqual({ format: 'test', bits: options.bits });
      const resumed = model as LinearLearner;
      expect(resumed).toBeInstanceOf(LinearLearner);
      expect(resumed.options).toEqual(first.options);
      expect(resumed.labelKind).toBe(first.labelKind);
      for (const ex of examples.slice(100)) resumed.learn(ex);
      expectSameLearner(whole, resumed);
    });
  }

  it('the small network', () => {
    const examples = sparseProblem({ examples: 120, bits: 3, nonzeros: 8, labels: 'real' });
    const make = () => {
      const m = new MlpRegressor({ inputs: 8, hidden: 6, lr: 0.05 });
      m.fitStandardization(examples);
      return m;
    };
    const whole = make();
    for (const ex of examples) whole.learn(ex);
    const first = make();
    for (const ex of examples.slice(0, 50)) first.learn(ex);
    const path = join(dir, 'mlp.model');
    saveModel(path, first);
    const resumed = loadModel(path) as MlpRegressor;
    expect(resumed).toBeInstanceOf(MlpRegressor);
    for (const ex of examples.slice(50)) resumed.learn(ex);
    for (const [name, p] of Object.entries(whole.parameters)) {
      expect(Array.from(resumed.parameters[name as keyof typeof whole.parameters])).toEqual(Array.from(p));
    }
  });
});

describe('damaged model files are refused', () => {
  const learner = new LinearLearner({ bits: 6 });
  for (const ex of sparseProblem({ examples: 50, bits: 6, nonzeros: 3, labels: 'binary' })) learner.learn(ex);
  const good = join(dir, 'good.model');
  saveModel(good, learner);
  const bytes = readFileSync(good);

  const refusal = (data: Uint8Array): ModelFileError => {
    const path = join(dir, 'damaged.model');
    writeFileSync(path, data);
    try {
      loadModel(path);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFileError);
      expect((e as Error).message).toContain(path);
      return e as ModelFileError;
    }
    throw new Error('the damaged file was accepted');
  };

  it('missing', () => {
    expect(() => loadModel(join(dir, 'nope.model'))).toThrow(/nope\.model: no such model file/);
  });
  it('truncated (anywhere)', () => {
    for (const length of [0, 5, 20, 100, bytes.length - 1]) {
      expect(refusal(bytes.subarray(0, length)).problem).toBe('truncated');
    }
  });
  it('corrupt: one flipped bit in the weights or the header fails the checksum', () => {
    for (const at of [40, bytes.length - 100]) {
      const copy = Uint8Array.from(bytes);
      copy[at] ^= 0x10;
      const e = refusal(copy);
      expect(e.problem).toBe('corrupt');
      expect(e.message).toMatch(/checksum mismatch/);
    }
  });
  it('corrupt: bytes after the end', () => {
    expect(refusal(Uint8Array.from([...bytes, 0])).problem).toBe('corrupt');
  });
  it('wrong magic', () => {
    const e = refusal(new TextEncoder().encode('1 1:0.5 3:1\n-1 2:1\n'.repeat(4)));
    expect(e.problem).toBe('magic');
    expect(e.message).toMatch(/not an adagrad model file/);
  });
  it('another format version', () => {
    const copy = Uint8Array.from(bytes);
    new DataView(copy.buffer).setUint32(8, 3, true);
    const e = refusal(copy);
    expect(e.problem).toBe('version');
    expect(e.message).toMatch(/version 3 is not supported \(this version reads 1 and 2\)/);
  });
  it('a well-formed file whose contents are not a model is corrupt', () => {
    const saved = learner.stateForSave();
    (saved.header.options as { bits: number }).bits = 0;
    const changed = encodeModel(saved);
    const e = refusal(changed);
    expect(e.problem).toBe('corrupt');
    expect(e.message).toMatch(/option 'bits'/);
  });
});

describe('sparse files, and the files of version 1', () => {
  it('stores only the nonzero weights of a sparse model: kilobytes for 2^18 weights', () => {
    const examples = sparseProblem({ examples: 400, bits: 18, nonzeros: 6, labels: 'binary' });
    const learner = new LinearLearner({ optimizer: 'ftrl', lr: 0.5, l1: 0.5 });
    for (const ex of examples) learner.learn(ex);
    const nonzeros = learner.nonzeroWeights();
    expect(nonzeros).toBeGreaterThan(10);
    // Weights and FTRL's z and n, each as (position, value) pairs of its nonzeros (2^18 float32
    // weights would be 1 MiB): the file resumes training; weights only, it is the nonzeros alone.
    const full = join(dir, 'sparse.model');
    saveModel(full, learner);
    const small = join(dir, 'sparse-weights.model');
    saveModel(small, learner, { weightsOnly: true });
    const touched = new Set(examples.flatMap((ex) => Array.from(ex.indices))).size;
    expect(readFileSync(full).length).toBeLessThan(1000 + 2 * 8 * touched + 8 * nonzeros);
    expect(readFileSync(small).length).toBeLessThan(1000 + 8 * nonzeros);
    for (const path of [full, small]) {
      const loaded = loadModel(path) as LinearLearner;
      expect(Array.from(loaded.w)).toEqual(Array.from(learner.w));
      expect(loaded.nonzeroWeights()).toBe(nonzeros);
      expect(loaded.predict(examples[0])).toBe(learner.predict(examples[0]));
    }
    expect(() => (loadModel(small) as LinearLearner).learn(examples[0])).toThrow(/weights only/);
  });

  // Written by the learner before version 2 (test/data/models): AdaGrad with lazy L2 (accumulators
  // as gw, gb) and Adam's dense state dicts. They load, predict and resume as they always did.
  const examples = sparseProblem({ examples: 120, bits: 6, nonzeros: 4, labels: 'binary' });
  it.each([
    ['v1-adagrad-l2', { bits: 6, lr: 0.3, l2: 0.01 }, 6],
    ['v1-adam', { bits: 5, optimizer: 'adam', lr: 0.01, lazy: false }, 5],
  ] as const)('%s', (name, options, bits) => {
    const data = sparseProblem({ examples: 120, bits, nonzeros: 4, labels: 'binary' });
    const loaded = loadModel(join(import.meta.dirname, 'data/models', `${name}.model`)) as LinearLearner;
    const whole = new LinearLearner(options);
    for (const ex of data.slice(0, 60)) whole.learn(ex);
    expect(Array.from(loaded.w)).toEqual(Array.from(whole.w));
    for (const ex of data.slice(60)) {
      expect(loaded.learn(ex)).toEqual(whole.learn(ex));
    }
    expectSameLearner(whole, loaded);
    expect(examples.length).toBe(120);
  });
});

describe('checkCompatible', () => {
  const model = new LinearLearner({ bits: 10, loss: 'hinge' });
  it('names the option that differs', () => {
    expect(() => checkCompatible(model, { bits: 12 })).toThrow(
      /the model was trained with bits 10, but bits 12 was requested/,
    );
    expect(() => checkCompatible(model, { loss: 'logistic' })).toThrow(/loss "hinge", but loss "logistic"/);
    expect(() => checkCompatible(model, { model: 'mlp' })).toThrow(
      /is a linear model, but a mlp model was requested/,
    );
    expect(() => checkCompatible(model, { hidden: 10 })).toThrow(/has no option 'hidden'/);
  });
  it('accepts matching and unspecified options', () => {
    expect(() =>
      checkCompatible(model, { bits: 10, loss: 'hinge', lr: undefined, model: 'linear' }),
    ).not.toThrow();
  });
});

describe('writing', () => {
  it('is atomic: no temporary file is left, and a failed write leaves nothing', () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const learner = new LinearLearner({ bits: 4 });
    saveModel(join(sub, 'm.model'), learner);
    expect(readdirSync(sub)).toEqual(['m.model']);
    expect(() => saveModel(join(sub, 'missing-dir', 'm.model'), learner)).toThrow();
    expect(readdirSync(sub)).toEqual(['m.model']);
  });
  it('readable JSON lists options and the largest weights by name', () => {
    const learner = new LinearLearner({ bits: 4, lr: 0.5 });
    // Feature 9 appears in every other example only, so the two weights end up of different sizes.
    const ex = (label: number, line: number): Example => ({
      label,
      weight: 1,
      indices: line % 2 ? Uint32Array.of(3, 9) : Uint32Array.of(3),
      values: line % 2 ? Float32Array.of(1, 0.25) : Float32Array.of(1),
      line,
    });
    for (let i = 0; i < 20; i++) learner.learn(ex(i % 3 === 0 ? -1 : 1, i + 1));
    const readable = join(dir, 'readable.json');
    saveModel(join(dir, 'r.model'), learner, {
      readable,
      featureNames: new Map([[3, 'viagra']]),
      topWeights: 5,
    });
    const json = JSON.parse(readFileSync(readable, 'utf8'));
    expect(json).toMatchObject({
      kind: 'linear',
      link: 'logistic',
      options: { bits: 4, lr: 0.5 },
      nonzeroWeights: 2,
    });
    expect(json.largestWeights).toHaveLength(2);
    const [first, second] = json.largestWeights;
    expect(Math.abs(first.weight)).toBeGreaterThan(Math.abs(second.weight));
    const named = json.largestWeights.find((e: { index: number }) => e.index === 3);
    expect(named).toEqual({ index: 3, feature: 'viagra', weight: learner.w[3] });
    expect(json.largestWeights.find((e: { index: number }) => e.index === 9)).toEqual({
      index: 9,
      weight: learner.w[9],
    });
  });
});
