// Section 3 (Layer 2): what AdaGrad keeps per coordinate. The same run as the valley section above,
// opened up step by step: square the gradient, add it on, divide by the side, take the step.
import { select } from 'd3-selection';
import { valley, type Trace, type TraceStep, type Vec2 } from '../../src/index.js';
import { intParam } from '../lib/hash-state.js';
import {
  createLandscapePanel,
  formatPoint,
  formatValue,
  stepEllipse,
  type StepEllipse,
} from '../lib/plot.js';
import { displayTex } from '../lib/formula.js';
import { button, element, rangeControl, type MountSection } from '../lib/section.js';
import { typeset } from '../lib/typeset.js';
import {
  VALLEY_PARAMS,
  VALLEY_STEPS,
  effectiveAdagradLr,
  readValleyState,
  valleyRuns,
  type ValleyState,
} from './valley.js';

/** The four moves of one AdaGrad step, in the order the captions walk through them. */
export const STAGES = ['square', 'add', 'divide', 'step'] as const;
export type Stage = (typeof STAGES)[number];

export const ACCUMULATOR_PARAMS = {
  /** The step being explained (0-based: the step from x_t to x_{t+1}). */
  step: intParam('a.t', 0, { min: 0, max: VALLEY_STEPS - 1 }),
  stage: intParam('a.stage', 0, { min: 0, max: STAGES.length - 1 }),
} as const;

/** Everything the accumulator figures show for step t, straight from the library's trace. */
export interface AccumulatorView {
  t: number;
  stage: Stage;
  step: TraceStep;
  /** g_t ⊙ g_t. */
  gradSquared: Vec2;
  /** G_{t-1}: the accumulator before this step (zeros before the first). */
  previous: Vec2;
  /** G_t = G_{t-1} + g_t ⊙ g_t, as the optimizer holds it after the step. */
  accumulator: Vec2;
  /** √G_t: the side of each square. */
  side: Vec2;
  /** η / (√G_t + ε) per coordinate, read from the optimizer. */
  rate: Vec2;
  /** The step actually taken: x_{t+1} − x_t. */
  move: Vec2;
  /** Step ellipses along the path up to x_t, the last one at x_t (the one this step uses). */
  ellipses: StepEllipse[];
}

/** Clamps t to the run (a diverged or short run has fewer steps than the slider). */
export function accumulatorView(run: Trace, t: number, stageIndex: number): AccumulatorView | null {
  if (run.steps.length === 0) return null;
  const k = Math.max(0, Math.min(t, run.steps.length - 1));
  const step = run.steps[k];
  const previous: Vec2 = k > 0 ? run.steps[k - 1].accumulator : [0, 0];
  const [gx, gy] = step.grad;
  return {
    t: k,
    stage: STAGES[Math.max(0, Math.min(stageIndex, STAGES.length - 1))],
    step,
    gradSquared: [gx * gx, gy * gy],
    previous,
    accumulator: step.accumulator,
    side: [Math.sqrt(step.accumulator[0]), Math.sqrt(step.accumulator[1])],
    rate: step.effectiveLr,
    move: [step.to[0] - step.from[0], step.to[1] - step.from[1]],
    ellipses: run.steps.slice(0, k + 1).map((s) => stepEllipse(s.from, s.effectiveLr)),
  };
}

/** The caption of each stage, with the live numbers of this step. */
export function stageCaption(view: AccumulatorView): { title: string; text: string } {
  const { step } = view;
  const n = view.t + 1;
  switch (view.stage) {
    case 'square':
      return {
        title: `Step ${n}, 1 of 4: square the gradient`,
        text: `The gradient at ${formatPoint(step.from)} is g = ${formatPoint(step.grad)}. Squared coordinate by coordinate: ${formatPoint(view.gradSquared)}. The steep y direction gives the much larger square.`,
      };
    case 'add':
      return {
        title: `Step ${n}, 2 of 4: add it on`,
        text: `Each coordinate adds its square to its running sum: G = ${formatPoint(view.previous)} + ${formatPoint(view.gradSquared)} = ${formatPoint(view.accumulator)}. The sum only ever grows.`,
      };
    case 'divide':
      return {
        title: `Step ${n}, 3 of 4: divide by the side`,
        text: `The side of each square is √G = ${formatPoint(view.side)}. Each coordinate’s learning rate is η divided by its side: ${formatPoint(view.rate)}. The ellipse shows these rates: wide where the gradients have been small, narrow where they have been large.`,
      };
    case 'step':
      return {
        title: `Step ${n}, 4 of 4: take the step`,
        text: `Each coordinate moves by its own rate times its gradient: ${formatPoint(view.rate)} ⊙ ${formatPoint(step.grad)} = ${formatPoint([-view.move[0], -view.move[1]])}, so x goes from ${formatPoint(step.from)} to ${formatPoint(step.to)}.`,
      };
  }
}

/** Moves one stage forward or back, carrying over into the next or previous step. */
export function advance(t: number, stage: number, direction: 1 | -1, lastStep: number): [number, number] {
  const flat = Math.max(
    0,
    Math.min(t * STAGES.length + stage + direction, (lastStep + 1) * STAGES.length - 1),
  );
  return [Math.floor(flat / STAGES.length), flat % STAGES.length];
}

const SQUARES_WIDTH = 480;
const SQUARES_HEIGHT = 260;
const SQUARE_MAX = 150;

export const mountAccumulator: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'Layer 2: the gradient accumulator'),
    element(
      'p',
      {},
      'AdaGrad keeps one number per coordinate: G, the sum of that coordinate’s squared gradients. Drawn as squares, each step adds a small square of area g² to a growing one of area G; the step size is η divided by the side √G. The valley’s steep y direction piles up a big square quickly and slows down; the flat x direction keeps a small square and a large rate. This is the AdaGrad run from the section above: change its start or learning rate there (or drag the start here) and this follows.',
    ),
  );

  const layout = element('div', { class: 'panel-pair' });
  root.append(layout);
  const panel = createLandscapePanel(layout, {
    label: 'AdaGrad on the valley with its step ellipses: the unit ball mapped by the per-coordinate rates',
    color: 'var(--adagrad)',
    onStartMove: (start) => host.set(VALLEY_PARAMS.start, start),
  });
  panel.root.dataset.optimizer = 'adagrad';
  panel.setLandscape(valley);
  const panelCaption = element('figcaption', {}, '');
  panel.root.append(panelCaption);

  // The squares and rate bars.
  const squaresFigure = element('figure', { class: 'accumulator-figure' });
  layout.append(squaresFigure);
  const svg = select(squaresFigure)
    .append('svg')
    .attr('viewBox', `0 0 ${SQUARES_WIDTH} ${SQUARES_HEIGHT}`)
    .attr('role', 'img')
    .attr('class', 'squares-svg');
  const axes = (['x', 'y'] as const).map((axis, i) => {
    const g = svg.append('g').attr('transform', `translate(${30 + i * 230},20)`);
    g.append('text').attr('class', 'square-title').attr('x', 0).attr('y', 0).text(`${axis}: G and √G`);
    const total = g.append('rect').attr('class', 'square-total').attr('x', 0).attr('y', 10);
    const previous = g.append('rect').attr('class', 'square-previous').attr('x', 0).attr('y', 10);
    const added = g.append('rect').attr('class', 'square-added');
    const sideLabel = g.append('text').attr('class', 'square-side');
    const rateBar = g.append('rect').attr('class', 'rate-bar').attr('x', 0).attr('height', 14);
    const rateLabel = g.append('text').attr('class', 'rate-label');
    return { total, previous, added, sideLabel, rateBar, rateLabel };
  });
  const squaresCaption = element('figcaption', {}, '');
  squaresFigure.append(squaresCaption);

  // The captioned step-by-step mode.
  const stepper = element('div', { class: 'stepper', role: 'group', 'aria-label': 'Step-by-step mode' });
  const formula = element('div', { class: 'formula' });
  const captionTitle = element('h3', { class: 'stage-title' });
  const captionText = element('p', { class: 'stage-text', 'aria-live': 'polite' });
  const stepSlider = rangeControl({
    min: 1,
    max: VALLEY_STEPS,
    step: 1,
    label: (value) => `Explain step ${value} of ${VALLEY_STEPS}`,
    onInput: (value) => {
      host.set(ACCUMULATOR_PARAMS.step, value - 1);
      host.set(ACCUMULATOR_PARAMS.stage, 0);
    },
  });
  const back = button('Previous', () => move(-1), { 'aria-label': 'Previous stage' });
  const next = button('Next', () => move(1), { 'aria-label': 'Next stage (square, add, divide, step)' });
  const buttons = element('div', { class: 'player' });
  buttons.append(back, next, stepSlider.root);
  stepper.append(buttons, captionTitle, captionText, formula);
  root.append(stepper);
  typeset(
    formula,
    displayTex`G_t = G_{t-1} + g_t \odot g_t, \qquad \text{rate}_t = \frac{\eta}{\sqrt{G_t} + \varepsilon}, \qquad x_{t+1} = x_t - \text{rate}_t \odot g_t`,
  );

  let state: ValleyState = readValleyState(host);
  let run = valleyRuns(state).adagrad;
  const move = (direction: 1 | -1): void => {
    const [t, stage] = advance(
      host.get(ACCUMULATOR_PARAMS.step),
      host.get(ACCUMULATOR_PARAMS.stage),
      direction,
      run.steps.length - 1,
    );
    host.set(ACCUMULATOR_PARAMS.step, t);
    host.set(ACCUMULATOR_PARAMS.stage, stage);
  };
  // Arrow keys on the step-by-step group walk the stages too.
  stepper.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      move(event.key === 'ArrowRight' ? 1 : -1);
    }
  });

  const draw = (): void => {
    const view = accumulatorView(run, host.get(ACCUMULATOR_PARAMS.step), host.get(ACCUMULATOR_PARAMS.stage));
    panel.setStart(state.start);
    if (view === null) {
      panel.drawPath({ trace: run, upTo: 0 });
      panel.drawEllipses([]);
      captionTitle.textContent = 'No steps: the run stopped at once.';
      captionText.textContent = '';
      return;
    }
    const stageIndex = STAGES.indexOf(view.stage);
    const moved = view.stage === 'step';
    panel.drawPath({ trace: run, upTo: moved ? view.t + 1 : view.t, arrows: !moved });
    // Every early ellipse, then every fourth: late ones are small and would hide the path.
    const shown = stageIndex >= 2 ? view.ellipses : view.ellipses.slice(0, -1);
    panel.drawEllipses(shown.filter((_, k) => k < 8 || k % 4 === 0 || k === shown.length - 1));
    panelCaption.textContent = `Step ellipses: semi-axes are the rates η/(√G + ε); now ${formatPoint(view.rate)} for (x, y).`;

    // One scale for both axes, so their squares and bars compare honestly.
    const finalSides = run.steps.at(-1)?.accumulator.map(Math.sqrt) ?? [1, 1];
    const sideScale = SQUARE_MAX / Math.max(...finalSides, 1e-12);
    const maxRate = Math.max(...run.steps.flatMap((s) => s.effectiveLr).filter(Number.isFinite), 1e-12);
    axes.forEach((axis, i) => {
      const showAdded = stageIndex >= 1;
      const G = showAdded ? view.accumulator[i] : view.previous[i];
      const side = Math.max(1, Math.sqrt(G) * sideScale);
      const previousSide = Math.sqrt(view.previous[i]) * sideScale;
      const addedSide = Math.max(1, Math.sqrt(view.gradSquared[i]) * sideScale);
      axis.total.attr('width', side).attr('height', side);
      axis.previous.attr('width', previousSide).attr('height', previousSide);
      // Stage 1 shows g² beside the old square; from stage 2 on it is part of G.
      axis.added
        .attr('x', stageIndex === 0 ? Math.max(previousSide, 1) + 6 : 0)
        .attr('y', 10)
        .attr('width', addedSide)
        .attr('height', addedSide)
        .attr('display', stageIndex <= 1 ? null : 'none');
      axis.sideLabel
        .attr('x', 0)
        .attr('y', 10 + SQUARE_MAX + 22)
        .text(stageIndex >= 2 ? `√G = ${formatValue(view.side[i])}` : `G = ${formatValue(G)}`);
      const rateWidth = stageIndex >= 2 ? Math.max(1, (view.rate[i] / maxRate) * 190) : 0;
      axis.rateBar.attr('y', 10 + SQUARE_MAX + 34).attr('width', rateWidth);
      axis.rateLabel
        .attr('x', 0)
        .attr('y', 10 + SQUARE_MAX + 64)
        .text(stageIndex >= 2 ? `rate = ${formatValue(view.rate[i])}` : 'rate: divide first');
    });
    const summary = `Accumulator after step ${view.t + 1}: G = ${formatPoint(view.accumulator)}, rates ${formatPoint(view.rate)}.`;
    svg.attr('aria-label', summary);
    squaresCaption.textContent =
      'Squares of area G per coordinate (same scale); bars: effective learning rate.';
    const caption = stageCaption(view);
    captionTitle.textContent = caption.title;
    captionText.textContent = caption.text;
    stepSlider.update(view.t + 1);
    back.disabled = view.t === 0 && stageIndex === 0;
    next.disabled = view.t === run.steps.length - 1 && stageIndex === STAGES.length - 1;
    root.dataset.step = String(view.t);
    root.dataset.stage = view.stage;
  };
  draw();

  let key = JSON.stringify([state, effectiveAdagradLr(state)]);
  host.onChange(() => {
    const nextState = readValleyState(host);
    const nextKey = JSON.stringify([nextState, effectiveAdagradLr(nextState)]);
    if (nextKey !== key) {
      key = nextKey;
      state = nextState;
      run = valleyRuns(state).adagrad;
    }
    draw();
  });
};
