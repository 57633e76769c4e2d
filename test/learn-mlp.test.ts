// The small network: gradients against finite differences, and online learning on Boston prices.
import { describe, expect, it } from 'vitest';
import { loadCorpus, splitExamples } from '../src/data/node/index.js';
import { MlpRegressor, regressionMetrics, trainPasses } from '../src/learn/index.js';
import { mulberry32 } from '../src/data/random.js';

describe('MlpRegressor', () => {
  it('lossAndGradients matches finite differences of the MSE for every parameter', () => {
    const random = mulberry32(3);
    const model = new MlpRegressor({ inputs: 3, hidden: 4, seed: 5 });
    const X = Float64Array.from({ length: 6 * 3 }, () => random() * 2 - 1);
    const y = Float64Array.from({ length: 6 }, () => random() * 2 - 1);
    const { gradients } = model.lossAndGradients(X, y);
    const mse = (): number => {
      const out = model.forward(X);
      return out.reduce((s, o, i) => s + (o - y[i]) ** 2, 0) / y.length;
    };
    // Perturb in float64 copies: the parameters are float32, so step by a size float32 can hold.
    for (const [name, p] of Object.entries(model.parameters)) {
      for (let i = 0; i < p.length; i++) {
        const keep = p[i];
        const h = 1e-3;
        p[i] = keep + h;
        const up = mse();
        const upStep = p[i] - keep;
        p[i] = keep - h;
        const down = mse();
        const downStep = keep - p[i];
        p[i] = keep;
        expect(gradients[name][i]).toBeCloseTo((up - down) / (upStep + downStep), 3);
      }
    }
  });

  it('initializes like nn.Linear: U(−1/√fan_in, 1/√fan_in), reproducibly from the seed', () => {
    const a = new MlpRegressor({ inputs: 16, hidden: 10, seed: 9 });
    const b = new MlpRegressor({ inputs: 16, hidden: 10, seed: 9 });
    expect(Array.from(a.parameters['fc1.weight'])).toEqual(Array.from(b.parameters['fc1.weight']));
    expect(Math.max(...a.parameters['fc1.weight'].map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...a.parameters['fc2.weight'].map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(10));
    expect(new Set(a.parameters['fc1.weight']).size).toBe(160);
  });

  it('learns Boston house prices online from standardized features (R² > 0.8 on held-out rows; measured 0.88)', async () => {
    const { train, test } = splitExamples(loadCorpus('boston').examples, 0.2, 1);
    const model = new MlpRegressor({ inputs: 13, hidden: 10 });
    model.fitStandardization(train);
    await trainPasses(model, () => train, { passes: 20, holdoutFraction: 0 });
    const m = regressionMetrics(
      test.map((ex) => ex.label),
      test.map((ex) => model.predict(ex)),
    );
    expect(m.r2).toBeGreaterThan(0.8);
    expect(m.rmse).toBeLessThan(4.5);
  });

  it('refuses to learn before standardization, and inputs beyond its width', () => {
    const model = new MlpRegressor({ inputs: 2 });
    const ex = { label: 1, weight: 1, indices: Uint32Array.of(0, 5), values: Float32Array.of(1, 1), line: 4 };
    expect(() => model.learn(ex)).toThrow(/fitStandardization/);
    expect(() => model.fitStandardization([ex])).toThrow(
      /line 4: feature index 5 is beyond the network's 2 inputs/,
    );
    expect(() => new MlpRegressor({ inputs: 2, hidden: 0 })).toThrow(/option 'hidden'/);
  });
});
