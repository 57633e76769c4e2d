// Section 2 (Layer 1): SGD and AdaGrad side by side on the stretched valley, from one shared start.
import { ADAGRAD_PRESETS, Adagrad, SGD, trace, valley, type Trace, type Vec2 } from '../../src/index.js';
import { boolParam, numberParam, pointParam } from '../lib/hash-state.js';
import { createLandscapePanel, formatPoint, formatValue } from '../lib/plot.js';
import { displayTex, tex, type Formula } from '../lib/formula.js';
import { typeset } from '../lib/typeset.js';
import {
  createPlayer,
  element,
  rangeControl,
  uniqueId,
  type MountSection,
  type RangeControl,
  type SectionHost,
} from '../lib/section.js';

/** Steps in each run: enough for AdaGrad to reach the floor, short enough to watch. */
export const VALLEY_STEPS = 100;

const LR_SGD = { min: 1e-3, max: 2, defaultValue: 0.35 };
const LR_ADAGRAD = { min: 1e-3, max: 10, defaultValue: 1 };

/** The valley's URL state; section 3 (the accumulator) follows the same run, so it reads these too. */
export const VALLEY_PARAMS = {
  start: pointParam('v.start', valley.defaultStart, { x: valley.view.x, y: valley.view.y, precision: 3 }),
  sgdLr: numberParam('v.lrs', LR_SGD.defaultValue, { min: LR_SGD.min, max: LR_SGD.max, precision: 3 }),
  adagradLr: numberParam('v.lra', LR_ADAGRAD.defaultValue, {
    min: LR_ADAGRAD.min,
    max: LR_ADAGRAD.max,
    precision: 3,
  }),
  share: boolParam('v.share', false),
} as const;

export interface ValleyState {
  start: Vec2;
  sgdLr: number;
  adagradLr: number;
  share: boolean;
}

export function readValleyState(host: Pick<SectionHost, 'get'>): ValleyState {
  return {
    start: [...host.get(VALLEY_PARAMS.start)] as Vec2,
    sgdLr: host.get(VALLEY_PARAMS.sgdLr),
    adagradLr: host.get(VALLEY_PARAMS.adagradLr),
    share: host.get(VALLEY_PARAMS.share),
  };
}

/** With "share" on, AdaGrad runs at SGD's rate: the fair comparison at one η. */
export function effectiveAdagradLr(state: ValleyState): number {
  return state.share ? state.sgdLr : state.adagradLr;
}

export interface ValleyRuns {
  sgd: Trace;
  adagrad: Trace;
}

let lastRuns: { key: string; runs: ValleyRuns } | undefined;

/**
 * Both runs, by the library's own optimizers (PyTorch defaults besides lr). The accumulator section
 * follows the same runs: the last pair is kept, so that it does not compute them a second time at
 * load and on every drag step. (Read-only: nobody changes a Trace.)
 */
export function valleyRuns(state: ValleyState, steps = VALLEY_STEPS): ValleyRuns {
  const key = JSON.stringify([state.start, state.sgdLr, effectiveAdagradLr(state), steps]);
  if (lastRuns?.key === key) return lastRuns.runs;
  const runs = {
    sgd: trace((p) => new SGD(p, { lr: state.sgdLr }), valley, state.start, steps),
    adagrad: trace((p) => new Adagrad(p, { lr: effectiveAdagradLr(state) }), valley, state.start, steps),
  };
  lastRuns = { key, runs };
  return runs;
}

/** AdaGrad's ε as the library uses it (PyTorch's default, added outside the root). */
export const ADAGRAD_EPS = ADAGRAD_PRESETS.pytorch.eps;

export interface LegendEntry {
  symbol: Formula;
  meaning: string;
  /** Its live value, as text. */
  value: string;
}

/** The step the legend describes at animation step t: the one leaving the current point. */
export function legendStepIndex(run: Trace, t: number): number {
  return Math.max(0, Math.min(t, run.steps.length - 1));
}

export function sgdLegend(run: Trace, t: number, lr: number): LegendEntry[] {
  const step = run.steps[legendStepIndex(run, t)];
  const none = '—';
  return [
    { symbol: tex`x_{t+1}`, meaning: 'next position', value: step ? formatPoint(step.to) : none },
    {
      symbol: tex`x_t`,
      meaning: 'current position',
      value: step ? formatPoint(step.from) : formatPoint(run.start),
    },
    { symbol: tex`\eta`, meaning: 'learning rate (the same for x and y)', value: formatValue(lr) },
    { symbol: tex`g_t = \nabla f(x_t)`, meaning: 'gradient', value: step ? formatPoint(step.grad) : none },
  ];
}

export function adagradLegend(run: Trace, t: number, lr: number, eps = ADAGRAD_EPS): LegendEntry[] {
  const step = run.steps[legendStepIndex(run, t)];
  const none = '—';
  return [
    { symbol: tex`x_{t+1}`, meaning: 'next position', value: step ? formatPoint(step.to) : none },
    {
      symbol: tex`x_t`,
      meaning: 'current position',
      value: step ? formatPoint(step.from) : formatPoint(run.start),
    },
    { symbol: tex`\eta`, meaning: 'base learning rate', value: formatValue(lr) },
    { symbol: tex`g_t`, meaning: 'gradient', value: step ? formatPoint(step.grad) : none },
    {
      symbol: tex`G_t`,
      meaning: 'sum of squared gradients so far, per coordinate',
      value: step ? formatPoint(step.accumulator) : none,
    },
    { symbol: tex`\varepsilon`, meaning: 'keeps the division finite', value: formatValue(eps) },
    {
      symbol: tex`\odot`,
      meaning: 'element-wise product: each coordinate gets its own rate',
      value: step ? `rates ${formatPoint(step.effectiveLr)}` : none,
    },
  ];
}

export const SGD_RULE = displayTex`x_{t+1} = x_t - \eta\, g_t`;
export const ADAGRAD_RULE = displayTex`G_t = G_{t-1} + g_t \odot g_t, \qquad x_{t+1} = x_t - \frac{\eta}{\sqrt{G_t} + \varepsilon} \odot g_t`;

/** A slider over log10(lr): equal slider distances are equal factors of the learning rate. */
export function lrSlider(name: string, range: { min: number; max: number }, onInput: (lr: number) => void) {
  return rangeControl({
    min: Math.log10(range.min),
    max: Math.log10(range.max),
    step: 0.01,
    label: (value) => `${name} learning rate η = ${formatValue(roundLr(10 ** value))}`,
    onInput: (value) => onInput(roundLr(10 ** value)),
  });
}

/** Three significant digits: what the URL keeps, so the label never disagrees with the state. */
export function roundLr(lr: number): number {
  return Number(lr.toPrecision(3));
}

interface LegendView {
  root: HTMLElement;
  update(entries: readonly LegendEntry[]): void;
}

/** A definition list: KaTeX symbol, meaning and live value; the symbols render once. */
export function legendList(label: string, initial: readonly LegendEntry[]): LegendView {
  const root = element('dl', { class: 'symbol-legend', 'aria-label': label });
  const values: HTMLElement[] = [];
  for (const entry of initial) {
    const dt = element('dt');
    typeset(dt, entry.symbol);
    const dd = element('dd');
    const value = element('span', { class: 'legend-value' }, entry.value);
    dd.append(element('span', { class: 'legend-meaning' }, `${entry.meaning}: `), value);
    values.push(value);
    root.append(dt, dd);
  }
  return {
    root,
    update(entries) {
      entries.forEach((entry, i) => {
        if (values[i].textContent !== entry.value) values[i].textContent = entry.value;
      });
    },
  };
}

function statusText(run: Trace, t: number): string {
  const shown = Math.min(t, run.steps.length);
  const point = run.path[shown];
  const loss = valley.f(point[0], point[1]);
  const tail = run.diverged && shown >= run.steps.length ? ' · diverged' : '';
  return `Step ${shown} of ${VALLEY_STEPS} · at ${formatPoint(point)} · f = ${formatValue(loss)}${tail}`;
}

export const mountValley: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'Layer 1: one learning rate on a stretched valley'),
    element(
      'p',
      {},
      'The valley below is steep across (y) and nearly flat along (x). Plain gradient descent must keep its learning rate small enough not to overshoot the steep walls — so it zig-zags across them and crawls along the floor, or blows up if you push it. AdaGrad divides each coordinate’s step by the root of that coordinate’s own squared-gradient sum, so the steep direction is tamed and the flat one is not starved.',
    ),
    element(
      'p',
      { class: 'hint' },
      'Drag the start point (or focus it and use the arrow keys) and move the learning-rate sliders: both paths are recomputed at once.',
    ),
  );

  const controls = element('div', { class: 'controls' });
  const sgdSlider = lrSlider('SGD', LR_SGD, (lr) => host.set(VALLEY_PARAMS.sgdLr, lr));
  const adagradSlider = lrSlider('AdaGrad', LR_ADAGRAD, (lr) => host.set(VALLEY_PARAMS.adagradLr, lr));
  sgdSlider.input.classList.add('accent-sgd');
  adagradSlider.input.classList.add('accent-adagrad');
  const shareId = uniqueId('share');
  const shareBox = element('input', { type: 'checkbox', id: shareId });
  shareBox.addEventListener('change', () => host.set(VALLEY_PARAMS.share, shareBox.checked));
  const share = element('div', { class: 'control checkbox-control' });
  share.append(shareBox, element('label', { for: shareId }, 'Give AdaGrad the same learning rate as SGD'));
  controls.append(sgdSlider.root, adagradSlider.root, share);
  root.append(controls);

  const pair = element('div', { class: 'panel-pair' });
  root.append(pair);
  const moveStart = (start: Vec2): void => host.set(VALLEY_PARAMS.start, start);
  const sgdPanel = createLandscapePanel(pair, {
    label: 'SGD on the stretched valley: contours, path, gradient and step arrows',
    color: 'var(--sgd)',
    onStartMove: moveStart,
  });
  const adagradPanel = createLandscapePanel(pair, {
    label: 'AdaGrad on the stretched valley: contours, path, gradient and step arrows',
    color: 'var(--adagrad)',
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
  const sgdFormula = element('div', { class: 'formula' });
  const adagradFormula = element('div', { class: 'formula' });
  typeset(sgdFormula, SGD_RULE);
  typeset(adagradFormula, ADAGRAD_RULE);
  const sgdLegendView = legendList(
    'SGD symbols and their current values',
    sgdLegend(runs.sgd, 0, state.sgdLr),
  );
  const adagradLegendView = legendList(
    'AdaGrad symbols and their current values',
    adagradLegend(runs.adagrad, 0, effectiveAdagradLr(state)),
  );
  sgdRule.append(element('h3', {}, 'SGD'), sgdFormula, sgdLegendView.root);
  adagradRule.append(element('h3', {}, 'AdaGrad'), adagradFormula, adagradLegendView.root);
  rules.append(sgdRule, adagradRule);

  const drawPanels = (t: number): void => {
    sgdPanel.drawPath({ trace: runs.sgd, upTo: t });
    adagradPanel.drawPath({ trace: runs.adagrad, upTo: t });
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

  const syncControls = (sliders: Array<[RangeControl, number]>): void => {
    for (const [slider, lr] of sliders) slider.update(Math.log10(lr), Math.log10(lr));
    shareBox.checked = state.share;
    adagradSlider.input.disabled = state.share;
    if (state.share) {
      adagradSlider.update(Math.log10(state.sgdLr), Math.log10(state.sgdLr));
    }
  };
  const syncStart = (): void => {
    sgdPanel.setStart(state.start);
    adagradPanel.setStart(state.start);
  };
  syncControls([
    [sgdSlider, state.sgdLr],
    [adagradSlider, state.adagradLr],
  ]);
  syncStart();

  let key = JSON.stringify(state);
  host.onChange(() => {
    const next = readValleyState(host);
    const nextKey = JSON.stringify(next);
    if (nextKey === key) return;
    key = nextKey;
    state = next;
    // Timed for the report: recomputing both 100-step runs must take well under a frame.
    const started = performance.now();
    runs = valleyRuns(state);
    root.dataset.recomputeMs = (performance.now() - started).toFixed(2);
    syncControls([
      [sgdSlider, state.sgdLr],
      [adagradSlider, state.adagradLr],
    ]);
    syncStart();
    const drawStarted = performance.now();
    player.refresh();
    root.dataset.drawMs = (performance.now() - drawStarted).toFixed(2);
  });
};
