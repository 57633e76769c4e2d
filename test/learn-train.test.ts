// trainPasses: progressive validation, the progressive holdout, early stopping, events, interruption.
import { describe, expect, it } from 'vitest';
import type { Example } from '../src/data/example.js';
import {
  LinearLearner,
  trainPasses,
  type LearnResult,
  type OnlineModel,
  type ProgressEvent,
} from '../src/learn/index.js';
import { sparseProblem } from './learn-helpers.js';

/** Records which examples were learned and which only tested; its loss is set per call. */
class Recorder implements OnlineModel {
  learned: number[] = [];
  tested: number[] = [];
  constructor(private readonly lossOf: (ex: Example, held: boolean) => number = () => 1) {}
  learn(ex: Example): LearnResult {
    this.learned.push(ex.line);
    return { loss: this.lossOf(ex, false), prediction: 0 };
  }
  test(ex: Example): LearnResult {
    this.tested.push(ex.line);
    return { loss: this.lossOf(ex, true), prediction: 0 };
  }
}

const rows = (n: number): Example[] =>
  Array.from({ length: n }, (_, i) => ({
    label: 1,
    weight: 1,
    indices: Uint32Array.of(i % 7),
    values: Float32Array.of(1),
    line: i + 1,
  }));

describe('trainPasses', () => {
  it('holds out every k-th example in every pass and never learns from it', async () => {
    const model = new Recorder();
    const summary = await trainPasses(model, () => rows(20), {
      passes: 2,
      holdoutFraction: 0.25,
      patience: 5,
    });
    expect(model.tested).toEqual([4, 8, 12, 16, 20, 4, 8, 12, 16, 20]);
    expect(model.learned.filter((l) => l % 4 === 0)).toEqual([]);
    expect(summary).toMatchObject({ passes: 2, examples: 40, learned: 30, heldOut: 10, stoppedEarly: false });
  });

  it('one pass has no holdout by default; several passes hold out 10%', async () => {
    const one = new Recorder();
    await trainPasses(one, () => rows(30));
    expect(one.tested).toEqual([]);
    const two = new Recorder();
    await trainPasses(two, () => rows(30), { passes: 2 });
    expect(two.tested).toEqual([10, 20, 30, 10, 20, 30]);
  });

  it('weighted average losses: overall, since last, and holdout', async () => {
    const data = rows(8).map((ex, i) => ({ ...ex, weight: i % 2 ? 3 : 1 }));
    // Loss = line number; learned lines 1,2,3,5,6,7 with weights 1,3,1,1,3,1 (every 4th held out).
    const model = new Recorder((ex) => ex.line);
    const events: ProgressEvent[] = [];
    const summary = await trainPasses(model, () => data, {
      holdoutFraction: 0.25,
      onProgress: (e) => events.push(e),
    });
    expect(events.map((e) => e.examples)).toEqual([1, 2, 4, 8]);
    expect(events[1].averageLoss).toBeCloseTo((1 * 1 + 2 * 3) / 4, 15);
    expect(events[1].sinceLast).toBeCloseTo(2, 15);
    expect(events[2].sinceLast).toBeCloseTo(3, 15); // example 4 was held out
    expect(events[2].holdoutLoss).toBe(4);
    const learnedLoss = 1 * 1 + 2 * 3 + 3 * 1 + 5 * 1 + 6 * 3 + 7 * 1;
    expect(summary.averageLoss).toBeCloseTo(learnedLoss / 10, 14);
    expect(summary.holdoutLoss).toBeCloseTo((4 * 3 + 8 * 3) / 6, 14);
  });

  it('events every N examples carry the label, prediction and feature count', async () => {
    const learner = new LinearLearner({ bits: 4 });
    const events: ProgressEvent[] = [];
    await trainPasses(learner, () => rows(10), { progressEvery: 5, onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.examples)).toEqual([1, 6]);
    expect(events[1]).toMatchObject({ pass: 1, label: 1, features: 1 });
    expect(events[1].prediction).toBeGreaterThan(0.5);
  });

  it('stops when the holdout loss has not improved for `patience` passes', async () => {
    // The holdout loss improves in passes 1 and 2, then gets worse.
    let pass = 0;
    const losses = [5, 3, 4, 4.5, 6, 7, 8];
    const model = new Recorder((ex, held) => (held ? losses[pass - 1] : 1));
    const passesSeen: number[] = [];
    const summary = await trainPasses(model, () => rows(10), {
      passes: 7,
      holdoutFraction: 0.5,
      patience: 2,
      onPass: (e) => passesSeen.push(e.pass),
      onProgress: (e) => (pass = e.pass),
      progressEvery: 1,
    });
    expect(passesSeen).toEqual([1, 2, 3, 4]);
    expect(summary).toMatchObject({
      passes: 4,
      stoppedEarly: true,
      bestPass: 2,
      bestHoldoutLoss: 3,
      holdoutLoss: 4.5,
    });
  });

  it('a real learner over several passes lowers its holdout loss', async () => {
    const data = sparseProblem({ examples: 400, bits: 6, nonzeros: 4, labels: 'binary' });
    const holdout: number[] = [];
    await trainPasses(new LinearLearner({ bits: 6 }), () => data, {
      passes: 4,
      onPass: (e) => holdout.push(e.holdoutLoss as number),
    });
    expect(holdout).toHaveLength(4);
    expect(holdout[3]).toBeLessThan(holdout[0]);
  });

  it('streams: async iterables and batches work like arrays', async () => {
    const data = rows(9);
    async function* stream() {
      for (const ex of data) yield ex;
    }
    const a = new Recorder();
    await trainPasses(a, () => stream(), { holdoutFraction: 1 / 3 });
    const b = new Recorder();
    await trainPasses(
      b,
      () => ({
        async *batches() {
          yield data.slice(0, 4);
          yield data.slice(4);
        },
      }),
      {
        holdoutFraction: 1 / 3,
      },
    );
    expect(a.tested).toEqual([3, 6, 9]);
    expect(b.tested).toEqual(a.tested);
    expect(b.learned).toEqual(a.learned);
  });

  it('an abort stops after the current example and says so', async () => {
    const controller = new AbortController();
    const model = new Recorder(() => {
      if (model.learned.length === 5) controller.abort();
      return 1;
    });
    const summary = await trainPasses(model, () => rows(50), { passes: 3, signal: controller.signal });
    expect(model.learned).toHaveLength(5);
    expect(summary).toMatchObject({ interrupted: true, examples: 5, passes: 1 });
  });

  it('rejects an empty pass and bad options, naming the option', async () => {
    await expect(trainPasses(new Recorder(), () => [])).rejects.toThrow(/pass 1 had no examples/);
    await expect(trainPasses(new Recorder(), () => rows(2), { passes: 0 })).rejects.toThrow(/'passes'/);
    await expect(trainPasses(new Recorder(), () => rows(2), { holdoutFraction: 0.9 })).rejects.toThrow(
      /'holdoutFraction'/,
    );
    await expect(trainPasses(new Recorder(), () => rows(2), { patience: 0 })).rejects.toThrow(/'patience'/);
  });
});
