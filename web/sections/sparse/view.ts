// The sparse-gradients section's view: the y gradient is zeroed with probability p from a seeded
// stream, so y is a rare feature; AdaGrad's accumulator for y grows only when y gets a gradient.
import { logSlider, rangeControl, seedInput, selectControl } from '../../figures/controls.js';
import { createLandscapePanel, type LandscapePanel, type PanelPath } from '../../figures/landscape-panel.js';
import { figure, figureRow, formula, legendList } from '../../figures/layout.js';
import { lineChart } from '../../figures/line-chart.js';
import { displayTex, tex } from '../../lib/formula.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, type MountSection } from '../../lib/section.js';
import { COORDINATE_COLORS, OPTIMIZERS } from '../optimizers.js';
import {
  MAX_SEED,
  P_PERCENT,
  SPARSE_LR_GRID as LR_GRID,
  SPARSE_PARAMS,
  SPARSE_LANDSCAPES,
  SPARSE_STEPS as STEPS,
  sparseLandscape,
  sparseCaption,
  sparseFigure,
} from './model.js';

function show(
  panel: LandscapePanel,
  landscape: Parameters<LandscapePanel['setLandscape']>[0],
  paths: PanelPath[],
  start: readonly [number, number],
): void {
  panel.setLandscape(landscape);
  panel.setStart(start);
  panel.drawPaths(paths);
}

export const mountSparse: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'Sparse gradients: what AdaGrad was made for'),
    element(
      'p',
      {},
      'AdaGrad was made for sparse features: a word that appears in one document in a thousand gets a gradient in one step in a thousand, and its weight still has far to go. Here y plays that word. Its gradient is zeroed at random with probability p, from a seeded random stream (the same seed drops the same steps, so a shared link reproduces the run), on a valley whose steep direction is the frequent x and whose long gentle floor is the rare y.',
    ),
    formula(
      displayTex`\begin{aligned} g_{t,y} &= \partial f / \partial y\,(\theta_t) \quad \text{(kept: chance } 1 - p) \\ g_{t,y} &= 0 \quad \text{(dropped: chance } p) \\ G_{t,y} &= G_{t-1,y} + g_{t,y}^2 \end{aligned}`,
    ),
  );
  const legend = legendList('Symbols of the sparse-gradient formula', [
    { symbol: tex`p`, meaning: 'the chance that a step has no y gradient', value: '' },
    {
      symbol: tex`g_{t,y}`,
      meaning: 'the y gradient AdaGrad and SGD are given at step t: the true slope when kept',
      value: '',
    },
    { symbol: tex`G_{t,y}`, meaning: 'AdaGrad’s sum for y: it grows only on the kept steps', value: '' },
  ]);
  root.append(
    legend.root,
    element(
      'p',
      {},
      'SGD must keep its one rate η under the limit the steep x sets, so y, which gets a gradient only now and then and a gentle one at that, crawls. AdaGrad divides y’s step by the root of y’s own few, small squares, so y keeps a large step for the times it does get a gradient. On the library’s landscapes, where y is a steep direction, rarity changes less; pick one to compare.',
    ),
  );
  const controls = element('div', { class: 'controls' });
  const picker = selectControl(
    'Landscape',
    SPARSE_LANDSCAPES.map((l) => ({ value: l.id, label: l.landscape.name })),
    (v) => host.set(SPARSE_PARAMS.landscape, v),
  );
  const pSlider = rangeControl({
    ...P_PERCENT,
    label: (v) => `p, the chance a step has no y gradient: ${(v / 100).toFixed(2)}`,
    onInput: (v) => host.set(SPARSE_PARAMS.pPercent, v),
  });
  pSlider.input.setAttribute('data-param', 's.p');
  const seed = seedInput('Random seed', { min: 0, max: MAX_SEED }, (v) => host.set(SPARSE_PARAMS.seed, v));
  const sgdSlider = logSlider(
    LR_GRID,
    (lr) => `SGD learning rate: ${lr}`,
    (lr) => host.set(SPARSE_PARAMS.sgdLr, lr),
  );
  const adagradSlider = logSlider(
    LR_GRID,
    (lr) => `AdaGrad learning rate: ${lr}`,
    (lr) => host.set(SPARSE_PARAMS.adagradLr, lr),
  );
  controls.append(picker.root, pSlider.root, seed.root, sgdSlider.root, adagradSlider.root);

  const sgdFigure = figure(`SGD, ${STEPS} steps with sparse y gradients.`);
  const adagradFigure = figure('AdaGrad, the same steps and the same dropped gradients.');
  const rateFigure = figure(
    "Step sizes per coordinate, log scale: AdaGrad's η/(√G + ε) for x and y with the drops (solid) and with every gradient kept (dashed), against SGD's one η. Before y's first gradient G_y is 0 and there is no rate to draw.",
  );
  const caption = element('p', { class: 'live-caption', 'aria-live': 'polite' });
  root.append(controls, figureRow(sgdFigure.root, adagradFigure.root, rateFigure.root), caption);
  const sgdPanel = createLandscapePanel(sgdFigure.body, { label: 'SGD path with sparse y gradients' });
  const adagradPanel = createLandscapePanel(adagradFigure.body, {
    label: 'AdaGrad path with sparse y gradients',
  });
  const rateChart = lineChart(rateFigure.body, {
    title: "AdaGrad's step size for x and y, with and without dropped y gradients, and SGD's learning rate",
    xLabel: 'step',
    yLabel: 'step size per unit gradient',
    logY: true,
  });

  const render = (): void => {
    const pPercent = host.get(SPARSE_PARAMS.pPercent);
    const p = pPercent / 100;
    const seedValue = host.get(SPARSE_PARAMS.seed);
    const sgdLr = host.get(SPARSE_PARAMS.sgdLr);
    const adagradLr = host.get(SPARSE_PARAMS.adagradLr);
    const landscapeId = host.get(SPARSE_PARAMS.landscape);
    const landscape = sparseLandscape(landscapeId);
    picker.update(landscapeId);
    pSlider.update(pPercent);
    seed.update(seedValue);
    sgdSlider.update(sgdLr);
    adagradSlider.update(adagradLr);
    const fig = sparseFigure({ p, seed: seedValue, sgdLr, adagradLr, steps: STEPS }, landscape);
    const start = landscape.defaultStart;
    show(
      sgdPanel,
      landscape,
      [
        {
          key: 'sgd',
          label: 'SGD',
          color: OPTIMIZERS.sgd.color,
          points: fig.sgd.path,
          diverged: fig.sgd.diverged,
        },
      ],
      start,
    );
    show(
      adagradPanel,
      landscape,
      [
        {
          key: 'adagrad',
          label: 'AdaGrad',
          color: OPTIMIZERS.adagrad.color,
          points: fig.adagrad.path,
          diverged: fig.adagrad.diverged,
        },
      ],
      start,
    );
    rateChart.update([
      { key: 'y', label: `y, p = ${p.toFixed(2)}`, color: COORDINATE_COLORS.y, values: fig.lrY },
      {
        key: 'y-dense',
        label: 'y, p = 0',
        color: COORDINATE_COLORS.y,
        values: fig.denseLrY,
        dashed: true,
      },
      { key: 'x', label: `x, p = ${p.toFixed(2)}`, color: COORDINATE_COLORS.x, values: fig.lrX },
      { key: 'x-dense', label: 'x, p = 0', color: COORDINATE_COLORS.x, values: fig.denseLrX, dashed: true },
      {
        key: 'sgd',
        label: `SGD's η`,
        color: OPTIMIZERS.sgd.color,
        values: fig.sgd.steps.map(() => sgdLr),
      },
    ]);
    caption.textContent = sparseCaption(fig, sgdLr);
  };
  onParamsChange(host, Object.values(SPARSE_PARAMS), render);
  render();
};
