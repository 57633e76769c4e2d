// Layer 3's view, the fatal flaw: G only grows, so AdaGrad's step only shrinks; on a long valley the
// iterate stalls far from the minimum.
import { logSlider, rangeControl } from '../../figures/controls.js';
import { createLandscapePanel } from '../../figures/landscape-panel.js';
import { figure, figureRow, formula } from '../../figures/layout.js';
import { lineChart } from '../../figures/line-chart.js';
import { displayTex } from '../../lib/formula.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, type MountSection } from '../../lib/section.js';
import { COORDINATE_COLORS, OPTIMIZERS } from '../optimizers.js';
import {
  FLAW_LR_GRID as LR_GRID,
  FLAW_PARAMS,
  FLAW_STEPS as STEPS,
  flawCaption,
  flawFigure,
} from './model.js';

export const mountFlaw: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'Layer 3: the fatal flaw'),
    element(
      'p',
      {},
      'The accumulator is a sum of squares. It never forgets a gradient and never shrinks, so the effective learning rate of every coordinate can only fall:',
    ),
    formula(
      displayTex`\begin{aligned} \eta_{t,i} &= \frac{\eta}{\sqrt{G_{t,i}} + \varepsilon} \\ G_{t,i} &= g_{1,i}^2 + g_{2,i}^2 + \dots + g_{t,i}^2 \;\text{ only grows} \end{aligned}`,
    ),
    element(
      'p',
      {},
      'On a short valley that is a feature: the steps shrink as the iterate settles. On a long, gentle valley it is a flaw: the rate keeps falling while the minimum is still far away, and the iterate slows to a crawl short of it. RMSprop, dashed below, replaces the sum with a leaky average: it does not stall, though, as its distance curve shows, it does not settle at the minimum either.',
    ),
  );
  const controls = element('div', { class: 'controls' });
  const lrSlider = logSlider(
    LR_GRID,
    (lr) => `Base learning rate η: ${lr}`,
    (lr) => host.set(FLAW_PARAMS.lr, lr),
  );
  const stepsSlider = rangeControl({
    ...STEPS,
    label: (v) => `Steps: ${v}`,
    onInput: (v) => host.set(FLAW_PARAMS.steps, v),
  });
  controls.append(lrSlider.root, stepsSlider.root);
  const pathFigure = figure(
    'AdaGrad (solid) and RMSprop (dashed) from the same start (white dot) on the long valley; the minimum is the cross.',
  );
  const rateFigure = figure("AdaGrad's effective learning rate per axis, log scale.");
  const distanceFigure = figure('Distance to the minimum, log scale.');
  const caption = element('p', { class: 'live-caption', 'aria-live': 'polite' });
  root.append(controls, figureRow(pathFigure.root, rateFigure.root, distanceFigure.root), caption);

  const panel = createLandscapePanel(pathFigure.body, {
    label: 'The long valley with the paths of AdaGrad and RMSprop',
  });
  const rateChart = lineChart(rateFigure.body, {
    title: "AdaGrad's effective learning rate for x and y over steps",
    xLabel: 'step',
    yLabel: 'η / (√G + ε)',
    logY: true,
  });
  const distanceChart = lineChart(distanceFigure.body, {
    title: 'Distance to the minimum over steps, AdaGrad and RMSprop',
    xLabel: 'step',
    yLabel: 'distance to minimum',
    logY: true,
    xOffset: 0,
  });

  const render = (): void => {
    const lr = host.get(FLAW_PARAMS.lr);
    const steps = host.get(FLAW_PARAMS.steps);
    lrSlider.update(lr);
    stepsSlider.update(steps);
    const fig = flawFigure(lr, steps);
    panel.setLandscape(fig.landscape);
    panel.setStart(fig.landscape.defaultStart);
    panel.drawPaths([
      {
        key: 'rmsprop',
        label: 'RMSprop',
        color: OPTIMIZERS.rmsprop.color,
        points: fig.rmsprop.path,
        diverged: fig.rmsprop.diverged,
        dashed: true,
      },
      {
        key: 'adagrad',
        label: 'AdaGrad',
        color: OPTIMIZERS.adagrad.color,
        points: fig.adagrad.path,
        diverged: fig.adagrad.diverged,
      },
    ]);
    rateChart.update([
      { key: 'x', label: 'x (flat)', color: COORDINATE_COLORS.x, values: fig.lrX },
      { key: 'y', label: 'y (steep)', color: COORDINATE_COLORS.y, values: fig.lrY },
    ]);
    distanceChart.update([
      { key: 'adagrad', label: 'AdaGrad', color: OPTIMIZERS.adagrad.color, values: fig.distance },
      {
        key: 'rmsprop',
        label: 'RMSprop',
        color: OPTIMIZERS.rmsprop.color,
        values: fig.rmspropDistance,
        dashed: true,
      },
    ]);
    caption.textContent = flawCaption(fig.facts);
  };
  onParamsChange(host, Object.values(FLAW_PARAMS), render);
  render();
};
