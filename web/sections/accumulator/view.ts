// Layer 2's view: the accumulator as squares per coordinate, the rates as bars, the step ellipses on
// the valley, and the captioned step-by-step mode.
import { select } from 'd3-selection';
import { valley } from '../../../src/index.js';
import { button, rangeControl } from '../../figures/controls.js';
import { formatPoint, formatValue } from '../../figures/format.js';
import { createLandscapePanel } from '../../figures/landscape-panel.js';
import { figureRow, formula as formulaBlock } from '../../figures/layout.js';
import { displayTex } from '../../lib/formula.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, type MountSection } from '../../lib/section.js';
import {
  VALLEY_PARAMS,
  VALLEY_STEPS,
  readValleyState,
  valleyRuns,
  type ValleyState,
} from '../valley/model.js';
import { ACCUMULATOR_PARAMS, STAGES, accumulatorView, advance, stageCaption } from './model.js';

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

  const layout = figureRow();
  root.append(layout);
  const panel = createLandscapePanel(layout, {
    label: 'AdaGrad on the valley with its step ellipses: the unit ball mapped by the per-coordinate rates',
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
  formula.append(
    formulaBlock(
      displayTex`G_t = G_{t-1} + g_t \odot g_t, \qquad \text{rate}_t = \frac{\eta}{\sqrt{G_t} + \varepsilon}, \qquad x_{t+1} = x_t - \text{rate}_t \odot g_t`,
    ),
  );

  let state: ValleyState = readValleyState(host);
  let run = valleyRuns(state).adagrad;
  // The run carries one step past the valley's last shown point; the step-by-step mode explains the
  // steps the valley shows.
  const lastStep = (): number => Math.min(run.steps.length, VALLEY_STEPS) - 1;
  const drawRun = (upTo: number, arrows: boolean): void => {
    panel.drawPaths([
      {
        key: 'adagrad',
        label: 'AdaGrad',
        color: 'var(--adagrad)',
        points: run.path.slice(0, upTo + 1),
        diverged: run.diverged && upTo >= run.steps.length,
        dots: true,
      },
    ]);
    const step = run.steps[upTo];
    panel.drawStep(
      arrows && step !== undefined
        ? { from: step.from, to: step.to, grad: step.grad, color: 'var(--adagrad)' }
        : null,
    );
  };
  const move = (direction: 1 | -1): void => {
    const [t, stage] = advance(
      host.get(ACCUMULATOR_PARAMS.step),
      host.get(ACCUMULATOR_PARAMS.stage),
      direction,
      lastStep(),
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
      drawRun(0, false);
      panel.drawEllipses([]);
      captionTitle.textContent = 'No steps: the run stopped at once.';
      captionText.textContent = '';
      return;
    }
    const stageIndex = STAGES.indexOf(view.stage);
    const moved = view.stage === 'step';
    drawRun(moved ? view.t + 1 : view.t, !moved);
    // Every early ellipse, then every fourth: late ones are small and would hide the path.
    const shown = stageIndex >= 2 ? view.ellipses : view.ellipses.slice(0, -1);
    panel.drawEllipses(shown.filter((_, k) => k < 8 || k % 4 === 0 || k === shown.length - 1));
    panelCaption.textContent = `Step ellipses: semi-axes are the rates η/(√G + ε); now ${formatPoint(view.rate)} for (x, y).`;

    // One scale for both axes, so their squares and bars compare honestly.
    const finalSides = run.steps[lastStep()]?.accumulator.map(Math.sqrt) ?? [1, 1];
    const sideScale = SQUARE_MAX / Math.max(...finalSides, 1e-12);
    const maxRate = Math.max(
      ...run.steps
        .slice(0, lastStep() + 1)
        .flatMap((s) => s.effectiveLr)
        .filter(Number.isFinite),
      1e-12,
    );
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
    next.disabled = view.t === lastStep() && stageIndex === STAGES.length - 1;
    root.dataset.step = String(view.t);
    root.dataset.stage = view.stage;
  };
  draw();

  onParamsChange(host, [...Object.values(VALLEY_PARAMS), ...Object.values(ACCUMULATOR_PARAMS)], () => {
    state = readValleyState(host);
    run = valleyRuns(state).adagrad;
    draw();
  });
};
