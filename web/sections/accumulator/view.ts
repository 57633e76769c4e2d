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
const SQUARES_HEIGHT = 290;
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
    const g = svg
      .append('g')
      .attr('class', `square-group square-${axis}`)
      .attr('transform', `translate(${30 + i * 230},20)`);
    g.append('text').attr('class', 'square-title').attr('x', 0).attr('y', 0).text(`${axis}: G and √G`);
    const total = g.append('rect').attr('class', 'square-total').attr('x', 0).attr('y', 10);
    const previous = g.append('rect').attr('class', 'square-previous').attr('x', 0).attr('y', 10);
    const added = g.append('rect').attr('class', 'square-added');
    const sumLabel = g.append('text').attr('class', 'square-sum');
    const sideLabel = g.append('text').attr('class', 'square-side');
    const rateBar = g.append('rect').attr('class', 'rate-bar').attr('x', 0).attr('height', 14);
    const rateLabel = g.append('text').attr('class', 'rate-label');
    return { total, previous, added, sumLabel, sideLabel, rateBar, rateLabel };
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
  stepper.append(buttons, captionTitle, captionText);
  // The step controls and what they explain come first, then the figures they drive.
  root.append(stepper, layout, formula);
  formula.append(
    formulaBlock(
      displayTex`\begin{aligned} G_t &= G_{t-1} + g_t \odot g_t \\ \text{rate}_t &= \frac{\eta}{\sqrt{G_t} + \varepsilon} \\ \theta_{t+1} &= \theta_t - \text{rate}_t \odot g_t \end{aligned}`,
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
    // Every early ellipse, then every fourth: late ones are small and would hide the path. The
    // current one (this step's rates) is drawn at every stage, as the caption below describes it.
    const shown = view.ellipses;
    panel.drawEllipses(shown.filter((_, k) => k < 8 || k % 4 === 0 || k === shown.length - 1));
    panelCaption.textContent = `Step ellipse at θ_t: semi-axes are this step's rates η/(√G + ε) = ${formatPoint(view.rate)} for (x, y).`;

    // One scale for both axes, so their squares and bars compare honestly. Every stage draws the
    // same step; the stage only highlights the part its caption explains.
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
      const side = Math.max(1, Math.sqrt(view.accumulator[i]) * sideScale);
      const previousSide = Math.sqrt(view.previous[i]) * sideScale;
      const addedSide = Math.max(1, Math.sqrt(view.gradSquared[i]) * sideScale);
      axis.total
        .attr('width', side)
        .attr('height', side)
        .classed('active', stageIndex === 1);
      axis.previous.attr('width', previousSide).attr('height', previousSide);
      // This step's g² sits in the corner of the new sum G at every stage (highlighted at stage 1).
      axis.added
        .attr('x', Math.max(0, side - addedSide))
        .attr('y', 10 + Math.max(0, side - addedSide))
        .attr('width', addedSide)
        .attr('height', addedSide)
        .classed('active', stageIndex === 0);
      axis.sumLabel
        .attr('x', 0)
        .attr('y', 10 + SQUARE_MAX + 22)
        .classed('active', stageIndex <= 1)
        .text(
          `G = ${formatValue(view.previous[i])} + ${formatValue(view.gradSquared[i])} = ${formatValue(view.accumulator[i])}`,
        );
      axis.sideLabel
        .attr('x', 0)
        .attr('y', 10 + SQUARE_MAX + 40)
        .classed('active', stageIndex === 2)
        .text(`√G = ${formatValue(view.side[i])}`);
      axis.rateBar
        .attr('y', 10 + SQUARE_MAX + 50)
        .attr('width', Math.max(1, (view.rate[i] / maxRate) * 190))
        .classed('active', stageIndex >= 2);
      axis.rateLabel
        .attr('x', 0)
        .attr('y', 10 + SQUARE_MAX + 82)
        .classed('active', stageIndex >= 2)
        .text(`rate η/(√G + ε) = ${formatValue(view.rate[i])}`);
    });
    const summary = `Accumulator after step ${view.t + 1}: G = ${formatPoint(view.accumulator)}, rates ${formatPoint(view.rate)}.`;
    svg.attr('aria-label', summary);
    squaresCaption.textContent = `Step ${view.t + 1}: squares of area G per coordinate, on one scale (dark: this step's g², light: the sum before it); bars: each coordinate's rate η/(√G + ε).`;
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
