// Layer 1's view: SGD and AdaGrad side by side on the stretched valley, from one shared start.
import { valley, type Trace, type Vec2 } from '../../../src/index.js';
import { logSlider, toggle } from '../../figures/controls.js';
import { formatValue } from '../../figures/format.js';
import { createLandscapePanel, type LandscapePanel } from '../../figures/landscape-panel.js';
import { figureRow, formula, legendList } from '../../figures/layout.js';
import { createPlayer } from '../../figures/player.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, type MountSection } from '../../lib/section.js';
import {
  ADAGRAD_LR_GRID,
  ADAGRAD_RULE,
  FLAT_CURVATURE,
  SGD_STABLE_LIMIT,
  STEEP_CURVATURE,
  SGD_LR_GRID,
  SGD_RULE,
  VALLEY_FORMULA,
  VALLEY_PARAMS,
  VALLEY_STEPS,
  adagradLegend,
  effectiveAdagradLr,
  readValleyState,
  sgdLegend,
  statusText,
  stepAt,
  valleyRuns,
} from './model.js';

/** Where SGD's limit 2/b comes from, with the numbers of the valley shown. */
function limitParagraph(): HTMLElement {
  return element(
    'p',
    {},
    `Plain gradient descent multiplies y by 1 − ηb at every step, where b = ${formatValue(STEEP_CURVATURE)} is the curvature across the valley. The y error shrinks only while |1 − ηb| < 1, that is η < 2/b = ${formatValue(SGD_STABLE_LIMIT)}; at 2/b it bounces between the walls for ever, above it the bounces grow. Along the floor the same η moves x by only a factor 1 − ηa per step, with a = ${formatValue(FLAT_CURVATURE)}: one learning rate small enough for the walls crawls along the floor.`,
  );
}

/** The path up to step t and the arrows of the step leaving it, on one panel. */
function drawRun(panel: LandscapePanel, key: string, label: string, color: string, run: Trace, t: number) {
  const upTo = Math.min(t, run.path.length - 1);
  panel.drawPaths([
    {
      key,
      label,
      color,
      points: run.path.slice(0, upTo + 1),
      diverged: run.diverged && upTo >= run.steps.length,
      dots: true,
    },
  ]);
  const step = stepAt(run, upTo);
  panel.drawStep(step === undefined ? null : { from: step.from, to: step.to, grad: step.grad, color });
}

export const mountValley: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'Layer 1: one learning rate on a stretched valley'),
    element(
      'p',
      {},
      'Most loss landscapes are anisotropic: their curvature differs from one direction to another. The valley below is the simplest such landscape, steep across (y) and nearly flat along (x):',
    ),
    formula(VALLEY_FORMULA),
    limitParagraph(),
    element(
      'p',
      {},
      'AdaGrad divides each coordinate’s step by the root of that coordinate’s own squared-gradient sum, so the steep direction is tamed and the flat one is not starved.',
    ),
    element(
      'p',
      { class: 'hint' },
      'Drag the start point (or focus it and use the arrow keys) and move the learning-rate sliders: both paths are recomputed at once.',
    ),
  );

  const controls = element('div', { class: 'controls' });
  const sgdSlider = logSlider(
    SGD_LR_GRID,
    (lr) => `SGD learning rate η = ${formatValue(lr)}`,
    (lr) => host.set(VALLEY_PARAMS.sgdLr, lr),
  );
  const adagradSlider = logSlider(
    ADAGRAD_LR_GRID,
    (lr) => `AdaGrad learning rate η = ${formatValue(lr)}`,
    (lr) => host.set(VALLEY_PARAMS.adagradLr, lr),
  );
  sgdSlider.input.classList.add('accent-sgd');
  adagradSlider.input.classList.add('accent-adagrad');
  const share = toggle('Give AdaGrad the same learning rate as SGD', (checked) =>
    host.set(VALLEY_PARAMS.share, checked),
  );
  share.root.append(
    element(
      'p',
      { class: 'control-note' },
      'The two η are not the same kind of number. SGD’s η multiplies the gradient, so its step is η times the slope. AdaGrad’s η is a step length: it divides the gradient by the root of its own squares, so its first step moves each coordinate by η whatever the slope, and later steps by η times a ratio of at most 1.',
    ),
  );
  controls.append(sgdSlider.root, adagradSlider.root, share.root);
  root.append(controls);

  const pair = figureRow();
  root.append(pair);
  const moveStart = (start: Vec2): void => host.set(VALLEY_PARAMS.start, start);
  const sgdPanel = createLandscapePanel(pair, {
    label: 'SGD on the stretched valley: contours, path, gradient and step arrows',
    onStartMove: moveStart,
  });
  const adagradPanel = createLandscapePanel(pair, {
    label: 'AdaGrad on the stretched valley: contours, path, gradient and step arrows',
    onStartMove: moveStart,
  });
  sgdPanel.root.dataset.optimizer = 'sgd';
  adagradPanel.root.dataset.optimizer = 'adagrad';
  const captions = [sgdPanel, adagradPanel].map((panel, i) => {
    const caption = element('figcaption');
    const title = element('strong', {}, i === 0 ? 'SGD' : 'AdaGrad');
    const status = element('span', { class: 'panel-status' });
    caption.append(title, document.createTextNode(' '), status);
    panel.root.append(caption);
    return status;
  });
  for (const panel of [sgdPanel, adagradPanel]) panel.setLandscape(valley);

  let state = readValleyState(host);
  let runs = valleyRuns(state);

  const rules = element('div', { class: 'rules' });
  const sgdRule = element('div', { class: 'rule rule-sgd' });
  const adagradRule = element('div', { class: 'rule rule-adagrad' });
  const sgdLegendView = legendList(
    'SGD symbols and their current values',
    sgdLegend(runs.sgd, 0, state.sgdLr),
  );
  const adagradLegendView = legendList(
    'AdaGrad symbols and their current values',
    adagradLegend(runs.adagrad, 0, effectiveAdagradLr(state)),
  );
  sgdRule.append(element('h3', {}, 'SGD'), formula(SGD_RULE), sgdLegendView.root);
  adagradRule.append(element('h3', {}, 'AdaGrad'), formula(ADAGRAD_RULE), adagradLegendView.root);
  rules.append(sgdRule, adagradRule);

  const drawPanels = (t: number): void => {
    drawRun(sgdPanel, 'sgd', 'SGD', 'var(--sgd)', runs.sgd, t);
    drawRun(adagradPanel, 'adagrad', 'AdaGrad', 'var(--adagrad)', runs.adagrad, t);
    captions[0].textContent = statusText(runs.sgd, t);
    captions[1].textContent = statusText(runs.adagrad, t);
    sgdLegendView.update(sgdLegend(runs.sgd, t, state.sgdLr));
    adagradLegendView.update(adagradLegend(runs.adagrad, t, effectiveAdagradLr(state)));
  };
  const player = createPlayer({
    label: 'Valley',
    length: () => VALLEY_STEPS,
    onFrame: drawPanels,
    figure: pair,
    reducedMotion: host.reducedMotion,
    speed: 25,
  });
  pair.after(player.root);
  player.root.after(rules);

  const sync = (): void => {
    sgdSlider.update(state.sgdLr);
    adagradSlider.update(effectiveAdagradLr(state));
    share.update(state.share);
    adagradSlider.input.disabled = state.share;
    sgdPanel.setStart(state.start);
    adagradPanel.setStart(state.start);
  };
  sync();

  onParamsChange(host, Object.values(VALLEY_PARAMS), () => {
    state = readValleyState(host);
    // Timed for the report: recomputing both runs must take well under a frame.
    const started = performance.now();
    runs = valleyRuns(state);
    root.dataset.recomputeMs = (performance.now() - started).toFixed(2);
    sync();
    const drawStarted = performance.now();
    player.refresh();
    root.dataset.drawMs = (performance.now() - drawStarted).toFixed(2);
  });
};
