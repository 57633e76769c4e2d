// The sparse-gradients section's view: the y gradient is zeroed with probability p from a seeded
// stream, so y is a rare feature; AdaGrad's accumulator for y grows only when y gets a gradient.
import { LANDSCAPES, getLandscape } from '../../../src/index.js';
import { logSlider, rangeControl, seedInput, selectControl } from '../../figures/controls.js';
import { createLandscapePanel, type LandscapePanel, type PanelPath } from '../../figures/landscape-panel.js';
import { figure, figureRow, formula } from '../../figures/layout.js';
import { lineChart } from '../../figures/line-chart.js';
import { displayTex } from '../../lib/formula.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, type MountSection } from '../../lib/section.js';
import { OPTIMIZERS } from '../optimizers.js';
import {
  MAX_SEED,
  P_PERCENT,
  SPARSE_LR_GRID as LR_GRID,
  SPARSE_PARAMS,
  SPARSE_STEPS as STEPS,
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
      'AdaGrad was made for sparse features: a word that appears in one document in a thousand gets a gradient in one step in a thousand. Here the y gradient is zeroed at random with probability p, from a seeded random stream (the same seed drops the same steps, so a shared link reproduces the run). A coordinate that rarely gets a gradient adds few squares to its accumulator, so it keeps a larger step for the times it does:',
    ),
    formula(
      displayTex`g_{t,y} = 0 \text{ with probability } p \quad\Rightarrow\quad G_{t,y} \text{ grows about } (1-p) \text{ times as fast.}`,
    ),
    element(
      'p',
      {},
      'That needs a y gradient that keeps coming. On the axis-aligned valley y settles in a few steps, its first large gradients fill G_y either way, and the drops change little; on the rotated valley the floor couples x and y, y keeps getting gradient, and the difference shows. Try both.',
    ),
  );
  const controls = element('div', { class: 'controls' });
  const picker = selectControl(
    'Landscape',
    LANDSCAPES.map((l) => ({ value: l.id, label: l.name })),
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
    "AdaGrad's effective learning rate per axis, log scale: with the drops (solid) and with every gradient (dashed). Before y's first gradient G_y is 0 and there is no rate to draw.",
  );
  const caption = element('p', { class: 'live-caption', 'aria-live': 'polite' });
  root.append(controls, figureRow(sgdFigure.root, adagradFigure.root, rateFigure.root), caption);
  const sgdPanel = createLandscapePanel(sgdFigure.body, { label: 'SGD path with sparse y gradients' });
  const adagradPanel = createLandscapePanel(adagradFigure.body, {
    label: 'AdaGrad path with sparse y gradients',
  });
  const rateChart = lineChart(rateFigure.body, {
    title: "AdaGrad's effective learning rate for x and y, with and without dropped y gradients",
    xLabel: 'step',
    yLabel: 'η / (√G + ε)',
    logY: true,
  });

  const render = (): void => {
    const pPercent = host.get(SPARSE_PARAMS.pPercent);
    const p = pPercent / 100;
    const seedValue = host.get(SPARSE_PARAMS.seed);
    const sgdLr = host.get(SPARSE_PARAMS.sgdLr);
    const adagradLr = host.get(SPARSE_PARAMS.adagradLr);
    const landscape = getLandscape(host.get(SPARSE_PARAMS.landscape));
    picker.update(landscape.id);
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
    const xColor = 'var(--ink-muted, #555)';
    rateChart.update([
      { key: 'y', label: `y, p = ${p.toFixed(2)}`, color: OPTIMIZERS.adagrad.color, values: fig.lrY },
      {
        key: 'y-dense',
        label: 'y, p = 0',
        color: OPTIMIZERS.adagrad.color,
        values: fig.denseLrY,
        dashed: true,
      },
      { key: 'x', label: 'x', color: xColor, values: fig.lrX },
      { key: 'x-dense', label: 'x, p = 0', color: xColor, values: fig.denseLrX, dashed: true },
    ]);
    caption.textContent = sparseCaption(fig);
  };
  onParamsChange(host, Object.values(SPARSE_PARAMS), render);
  render();
};
