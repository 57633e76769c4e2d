// The race's view (fixing the accumulator): AdaGrad, RMSprop, Adadelta and Adam race from one start on
// a landscape the reader picks; each is the library's own optimizer, run through trace().
import { LANDSCAPES } from '../../../src/index.js';
import { checkboxGroup, logSlider, rangeControl, selectControl } from '../../figures/controls.js';
import { formatValue } from '../../figures/format.js';
import { tracePath } from '../../figures/geometry.js';
import { createLandscapePanel } from '../../figures/landscape-panel.js';
import { figure, figureRow, formula } from '../../figures/layout.js';
import { lineChart } from '../../figures/line-chart.js';
import { displayTex, type Formula } from '../../lib/formula.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, onFirstVisible, type MountSection } from '../../lib/section.js';
import { distanceToNearest, OPTIMIZERS } from '../optimizers.js';
import {
  DEFAULT_RACE_LR,
  FIXING_PARAMS,
  RACE_STEPS as STEPS,
  RACE_CHOICES,
  SCALE_GRID,
  raceCaption,
  raceFigure,
  type Racer,
} from './model.js';

/** What each successor changes, one paragraph each, with its update in the paper's notation. */
const EXPLANATIONS: ReadonlyArray<{ id: Racer; text: string; update: Formula }> = [
  {
    id: 'adagrad',
    text: 'AdaGrad (2011) divides by the root of the sum of all squared gradients so far: the right idea, per-coordinate step sizes, but the sum only grows. G_t is the per-coordinate sum, g_t the gradient, θ the parameters, ε a small constant that keeps the division finite.',
    update: displayTex`\begin{aligned} G_t &= G_{t-1} + g_t^2 \\ \theta_{t+1} &= \theta_t - \frac{\eta}{\sqrt{G_t} + \varepsilon}\, g_t \end{aligned}`,
  },
  {
    id: 'rmsprop',
    text: 'RMSprop (Hinton, 2012) makes the accumulator leaky: an exponential moving average of squared gradients forgets the distant past, so the step size tracks the recent scale of the gradient instead of shrinking for ever. Here v_t is that average and α (0.99 by default) how much of it each step keeps.',
    update: displayTex`\begin{aligned} v_t &= \alpha v_{t-1} + (1-\alpha)\, g_t^2 \\ \theta_{t+1} &= \theta_t - \frac{\eta}{\sqrt{v_t} + \varepsilon}\, g_t \end{aligned}`,
  },
  {
    id: 'adadelta',
    text: 'Adadelta (Zeiler, 2012) keeps the leaky average and fixes the units: it multiplies by the root of a running average of past updates, so a step has the units of θ and no learning rate is needed (run here with η = 1, its paper\u2019s form). The price: its first steps are about √ε long, so it starts slowly on these small problems. v_t is the moving average of squared gradients, u_t of squared updates Δθ, both with decay ρ (0.9).',
    update: displayTex`\begin{aligned} v_t &= \rho v_{t-1} + (1-\rho)\, g_t^2 \\ \Delta\theta_t &= -\frac{\sqrt{u_{t-1} + \varepsilon}}{\sqrt{v_t + \varepsilon}}\, g_t \\ u_t &= \rho u_{t-1} + (1-\rho)\, \Delta\theta_t^2 \end{aligned}`,
  },
  {
    id: 'adam',
    text: 'Adam (Kingma and Ba, 2014) is RMSprop plus momentum: a moving average of the gradient itself in the numerator, with bias corrections so that both averages, which start at zero, are not too small in the first steps. m_t averages the gradients with decay β₁ (0.9), v_t their squares with decay β₂ (0.999).',
    update: displayTex`\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \\ v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\ \theta_{t+1} &= \theta_t - \eta\, \frac{m_t / (1-\beta_1^t)}{\sqrt{v_t / (1-\beta_2^t)} + \varepsilon} \end{aligned}`,
  },
];

export const mountFixing: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'Fixing the accumulator: RMSprop, Adadelta, Adam'),
    element(
      'p',
      {},
      'Every successor keeps AdaGrad\u2019s central idea, a step size per coordinate from the history of its gradients, and changes what the history remembers. Race them from the same start; pick a landscape to see where each struggles.',
    ),
  );
  const list = element('div', { class: 'explanations' });
  for (const e of EXPLANATIONS) {
    const item = element('div', { class: 'explanation' });
    const name = element('strong', {}, `${OPTIMIZERS[e.id].label}. `);
    name.style.color = OPTIMIZERS[e.id].color;
    const paragraph = element('p');
    paragraph.append(name, document.createTextNode(e.text));
    item.append(paragraph, formula(e.update));
    list.append(item);
  }
  root.append(list);

  const controls = element('div', { class: 'controls' });
  const picker = selectControl(
    'Landscape',
    LANDSCAPES.map((l) => ({ value: l.id, label: l.name })),
    (v) => host.set(FIXING_PARAMS.landscape, v),
  );
  const toggles = checkboxGroup(
    'Optimizers in the race',
    RACE_CHOICES.map((r) => ({ value: r, label: `${OPTIMIZERS[r].label}`, color: OPTIMIZERS[r].color })),
    (checked) => host.set(FIXING_PARAMS.shown, checked),
  );
  const stepsSlider = rangeControl({
    ...STEPS,
    label: (v) => `Steps: ${v}`,
    onInput: (v) => host.set(FIXING_PARAMS.steps, v),
  });
  const scaleSlider = logSlider(
    SCALE_GRID,
    (scale) => {
      const rates = RACE_CHOICES.map(
        (r) => `${OPTIMIZERS[r].label} ${formatValue(DEFAULT_RACE_LR[r] * scale)}`,
      ).join(', ');
      return `Learning rates \u00d7${scale} (${rates})`;
    },
    (scale) => host.set(FIXING_PARAMS.lrScale, scale),
  );
  const replay = element('button', { type: 'button', 'data-action': 'replay' }, 'Replay the race');
  controls.append(picker.root, toggles.root, stepsSlider.root, scaleSlider.root, replay);
  const description = element('p', { class: 'landscape-description' });
  const pathFigure = figure('Paths from the same start (white dot); crosses mark the minima.');
  const distanceFigure = figure('Distance to the nearest minimum over steps, log scale.');
  const caption = element('p', { class: 'live-caption', 'aria-live': 'polite' });
  root.append(controls, description, figureRow(pathFigure.root, distanceFigure.root), caption);
  const panel = createLandscapePanel(pathFigure.body, { label: 'Optimizer race on the chosen landscape' });
  const legend = element('ul', { class: 'path-legend', 'aria-label': 'Legend' });
  pathFigure.body.append(legend);
  const distanceChart = lineChart(distanceFigure.body, {
    title: 'Distance to the nearest minimum over steps for each optimizer',
    xLabel: 'step',
    yLabel: 'distance to nearest minimum',
    logY: true,
    xOffset: 0,
  });

  let frame = 0;
  // The race is drawn finished at load and run the first time it is on screen, so that the reader
  // sees it; from then on every change runs it again.
  let seen = false;
  /** Draws the current race; animate runs it from the start (never under reduced motion). */
  let race: (animate: boolean) => void = () => {};
  /** Recomputes the race from the state and draws it. */
  const render = (): void => {
    const id = host.get(FIXING_PARAMS.landscape);
    const shown = host.get(FIXING_PARAMS.shown);
    const steps = host.get(FIXING_PARAMS.steps);
    const scale = host.get(FIXING_PARAMS.lrScale);
    picker.update(id);
    toggles.update(shown);
    stepsSlider.update(steps);
    scaleSlider.update(scale);
    const fig = raceFigure(id, shown, scale, steps);
    description.textContent = `${fig.landscape.name}: ${fig.landscape.description}`;
    legend.replaceChildren(
      ...fig.runs.map((r) => {
        const item = element('li');
        const swatch = element('span', { 'aria-hidden': 'true' });
        swatch.className = 'swatch-line';
        swatch.style.background = OPTIMIZERS[r.id].color;
        const end = r.trace.diverged ? 'diverged' : `lr ${formatValue(r.lr)}`;
        item.append(swatch, document.createTextNode(`${OPTIMIZERS[r.id].label} (${end})`));
        return item;
      }),
    );
    const distances = fig.runs.map((r) => ({
      key: r.id,
      label: OPTIMIZERS[r.id].label,
      color: OPTIMIZERS[r.id].color,
      values: r.trace.path.map((p) => distanceToNearest(p, fig.landscape.minima)),
    }));
    /** Draws every run up to step `upTo` (a race in progress), or to the end. */
    const drawUpTo = (upTo: number): void => {
      panel.setLandscape(fig.landscape);
      panel.setStart(fig.landscape.defaultStart);
      panel.drawPaths(
        fig.runs.map((r) =>
          tracePath(r.trace, upTo, {
            key: r.id,
            label: OPTIMIZERS[r.id].label,
            color: OPTIMIZERS[r.id].color,
          }),
        ),
      );
      distanceChart.update(
        distances.map((d) => ({ ...d, values: d.values.slice(0, upTo + 1) })),
        distances,
      );
    };
    caption.textContent = raceCaption(fig);
    race = (animate) => {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
      if (host.reducedMotion || !animate) {
        drawUpTo(steps);
        return;
      }
      // About 1.2 s at 60 frames per second, however many steps.
      const perFrame = Math.max(1, Math.ceil(steps / 72));
      let upTo = 0;
      const tick = (): void => {
        upTo = Math.min(steps, upTo + perFrame);
        drawUpTo(upTo);
        frame = upTo < steps ? requestAnimationFrame(tick) : 0;
      };
      drawUpTo(0);
      frame = requestAnimationFrame(tick);
    };
    race(seen);
  };
  // Replaying and the first sight run the race already computed.
  replay.addEventListener('click', () => race(true));
  onParamsChange(host, Object.values(FIXING_PARAMS), render);
  render();
  onFirstVisible(pathFigure.root, () => {
    seen = true;
    race(true);
  });
};
