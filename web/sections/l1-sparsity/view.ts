// "AdaGrad that makes zeros", the view: one λ slider, FTRL-Proximal and ℓ1-AdaGrad trained on the spam
// sample at that λ, their nonzero weights and held-out accuracy against λ (the slider's λ marked) and at
// that λ, and the words that survive. Every word reaches the page through textContent: the sample is
// email, and email is not markup.
import { logSlider, selectControl } from '../../figures/controls.js';
import { formatCount, formatValue } from '../../figures/format.js';
import { figure, figureRow, formula } from '../../figures/layout.js';
import { lineChart, type ChartSeries } from '../../figures/line-chart.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, onFirstVisible, type MountSection } from '../../lib/section.js';
import { loadSpamSample } from '../../lib/spam-sample.js';
import {
  COMPOSITE_L1_RULE,
  FTRL_RULE,
  L1_PARAMS,
  LAMBDA_GRID,
  LEARNER_LABELS,
  SPARSE_LEARNERS,
  SparseModels,
  sparsityCaption,
  splitSample,
  survivors,
  SWEEP_LAMBDAS,
  sweepCaption,
  sweepCurves,
  type SparseLearner,
  type Survivor,
} from './model.js';

/** Words listed on each side (spam, ham). */
const LISTED = 12;

/** Training time per task of the sweep: short enough that a scroll or a key press waits no longer. */
const SWEEP_SLICE_MS = 10;

const COLORS: Readonly<Record<SparseLearner, string>> = {
  ftrl: 'var(--ftrl)',
  adagrad: 'var(--adagrad)',
};

/** A bar of `fraction` (0..1) of its cell, coloured, hidden from screen readers (the text says it). */
function bar(fraction: number, color: string): HTMLSpanElement {
  const node = element('span', { class: 'value-bar', 'aria-hidden': 'true' });
  node.style.width = `${(100 * Math.max(0, Math.min(1, fraction))).toFixed(1)}%`;
  node.style.background = color;
  return node;
}

function wordItem(s: Survivor, largest: number): HTMLLIElement {
  const item = element('li');
  const words = s.words.length > 0 ? s.words.join(' / ') : `(hashed weight ${s.index})`;
  item.append(
    element('span', { class: 'survivor-word' }, words),
    element('span', { class: 'survivor-weight' }, (s.weight > 0 ? '+' : '') + formatValue(s.weight)),
    bar(Math.abs(s.weight) / largest, s.weight > 0 ? 'var(--spam)' : 'var(--ham)'),
  );
  return item;
}

export const mountL1Sparsity: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'AdaGrad that makes zeros: ℓ1 and FTRL-Proximal'),
    element(
      'p',
      {},
      'On sparse data most features are rare, and a model with a weight for every word ever seen is large and slow to serve. An ℓ1 penalty λ‖θ‖₁ pushes weights to exactly zero, and a zero weight need not be stored at all. The paper gives AdaGrad two ways to do it. The composite step takes AdaGrad’s step and then shrinks every weight toward zero, stopping at zero; the weight of a word the example lacks (g = 0) only shrinks:',
    ),
    formula(COMPOSITE_L1_RULE),
    element(
      'p',
      {},
      'The other is dual averaging: keep the sum of all gradients so far and solve for θ from it, so that a weight is zero until its word has gathered more evidence than λ₁. FTRL-Proximal (McMahan et al., 2013), the workhorse of click prediction, is that idea with AdaGrad’s per-coordinate rates α/(β + √n):',
    ),
    formula(FTRL_RULE),
    element(
      'p',
      {},
      'Both learners below are the library’s LinearLearner, with its FTRL-Proximal and with its ℓ1-AdaGrad (which applies the shrinks a weight missed when its word next appears, exactly, so that a message costs only its own words), training logistic regression in one pass over 400 messages of the spam sample (hashed words, as in the live demo above), and tested on the 100 messages they never saw. λ means the same penalty for both: FTRL’s λ₁ applies once to the sum of all losses, so the composite step, which adds its penalty at every one of the T steps, runs with λ₁ = λ/T. The charts train both at every λ the slider offers, from 0.01 to 100; the dashed line is the slider’s λ, whose two models the table details.',
    ),
  );

  const controls = element('div', { class: 'controls' });
  const lambdaSlider = logSlider(
    LAMBDA_GRID,
    (lambda) => `ℓ1 strength λ = ${formatValue(lambda)}`,
    (lambda) => host.set(L1_PARAMS.lambda, lambda),
  );
  const listedPicker = selectControl(
    'Surviving words of',
    SPARSE_LEARNERS.map((learner) => ({ value: learner, label: LEARNER_LABELS[learner] })),
    (learner) => host.set(L1_PARAMS.listed, learner),
  );
  controls.append(lambdaSlider.root, listedPicker.root);
  root.append(controls);

  const nonzerosFigure = figure('Nonzero weights against λ (log scale).');
  const accuracyFigure = figure('Held-out accuracy against λ (log scale).');
  const sweepCaptionNode = element('p', { class: 'live-caption', 'aria-live': 'polite' });
  root.append(figureRow(nonzerosFigure.root, accuracyFigure.root), sweepCaptionNode);
  const nonzerosChart = lineChart(nonzerosFigure.body, {
    title: 'Nonzero weights of FTRL-Proximal and ℓ1-AdaGrad against λ',
    xLabel: 'λ',
    yLabel: 'nonzero weights',
    logX: true,
  });
  const accuracyChart = lineChart(accuracyFigure.body, {
    title: 'Held-out accuracy of FTRL-Proximal and ℓ1-AdaGrad against λ',
    xLabel: 'λ',
    yLabel: 'held-out accuracy (%)',
    logX: true,
    // From a coin flip to perfect: the worst model here predicts the majority class (62% of the test).
    yDomain: [50, 100],
  });
  sweepCaptionNode.textContent = 'The sweep trains when this figure comes into view.';

  const results = figure('');
  results.root.classList.add('sparsity-figure');
  results.caption.setAttribute('aria-live', 'polite');
  const table = element('table', { class: 'sparsity-table' });
  const head = element('tr');
  for (const text of ['Learner', 'Nonzero weights', 'Held-out accuracy']) {
    head.append(element('th', { scope: 'col' }, text));
  }
  table.append(element('thead'), element('tbody'));
  table.tHead?.append(head);
  const rows = new Map<SparseLearner, { nonzeros: HTMLTableCellElement; accuracy: HTMLTableCellElement }>();
  for (const learner of SPARSE_LEARNERS) {
    const row = element('tr', { 'data-learner': learner });
    const name = element('th', { scope: 'row' }, LEARNER_LABELS[learner]);
    name.style.color = COLORS[learner];
    const nonzeros = element('td');
    const accuracy = element('td');
    row.append(name, nonzeros, accuracy);
    table.tBodies[0].append(row);
    rows.set(learner, { nonzeros, accuracy });
  }
  const wordsTitle = element('h3', {}, 'The words each learner keeps');
  const spamList = element('ol', { class: 'survivors survivors-spam', 'aria-label': 'Words toward spam' });
  const hamList = element('ol', { class: 'survivors survivors-ham', 'aria-label': 'Words toward ham' });
  const lists = element('div', { class: 'survivor-lists' });
  const spamColumn = element('div');
  spamColumn.append(element('h4', {}, 'Toward spam (weight > 0)'), spamList);
  const hamColumn = element('div');
  hamColumn.append(element('h4', {}, 'Toward ham (weight < 0)'), hamList);
  lists.append(spamColumn, hamColumn);
  const collisions = element(
    'p',
    { class: 'hint' },
    'Words joined by “/” share one of the 2^14 hashed weights: the model cannot tell them apart.',
  );
  results.body.append(table, wordsTitle, lists, collisions);
  results.caption.textContent = 'The learners train when this figure comes into view.';
  root.append(results.root);

  root.append(
    element(
      'p',
      {},
      'The sweep shows on 400 messages what the paper found on Reuters RCV1, its text-classification benchmark (Duchi, Hazan and Singer, 2011, section 6.1 and Table 1): with ℓ1, AdaGrad’s two forms had the lowest test errors of the methods compared, about equal to each other, but the composite form kept several times as many nonzero weights as the dual-averaging form. The composite step gives a rare word a large first step (its H is small) and then takes ηλ₁/H off it per step, so a word seen late in the pass keeps part of that step; the sum kept by dual averaging and FTRL holds a rare word at exactly zero until its gradients have added up to more than λ₁.',
    ),
  );

  let models: SparseModels | undefined;

  const drawSweep = (): void => {
    const lambda = host.get(L1_PARAMS.lambda);
    const label = `λ = ${formatValue(lambda)}`;
    nonzerosChart.mark(lambda, label);
    accuracyChart.mark(lambda, label);
    // Before the sample is loaded: the axes, the legend and the mark, with no points yet.
    const curves = sweepCurves(models);
    const series = (value: (c: (typeof curves)[number]) => number[]): ChartSeries[] =>
      curves.map((c) => ({
        key: c.learner,
        label: LEARNER_LABELS[c.learner],
        color: COLORS[c.learner],
        xs: SWEEP_LAMBDAS,
        values: value(c),
      }));
    nonzerosChart.update(series((c) => c.nonzeros));
    accuracyChart.update(series((c) => c.accuracy));
    if (curves.every((c) => c.accuracy.every(Number.isFinite))) {
      sweepCaptionNode.textContent = sweepCaption(curves, lambda, formatValue);
    }
  };

  const render = (): void => {
    const lambda = host.get(L1_PARAMS.lambda);
    const listed = host.get(L1_PARAMS.listed);
    lambdaSlider.update(lambda);
    listedPicker.update(listed);
    drawSweep();
    const trained = models;
    if (trained === undefined) return;
    const { split } = trained;
    const started = performance.now();
    const current = new Map(SPARSE_LEARNERS.map((learner) => [learner, trained.get(learner, lambda)]));
    root.dataset.trainMs = (performance.now() - started).toFixed(1);
    const wordsSeen = split.words.size;
    for (const learner of SPARSE_LEARNERS) {
      const model = current.get(learner)!;
      const cells = rows.get(learner);
      if (cells === undefined) continue;
      cells.nonzeros.replaceChildren(
        document.createTextNode(`${formatCount(model.nonzeros)} of ${formatCount(wordsSeen)} words`),
        bar(model.nonzeros / wordsSeen, COLORS[learner]),
      );
      cells.accuracy.replaceChildren(
        document.createTextNode(`${formatValue(100 * model.accuracy)}%`),
        bar(model.accuracy, COLORS[learner]),
      );
    }
    const model = current.get(listed)!;
    const kept = survivors(model, split);
    const spam = kept.filter((s) => s.weight > 0);
    const ham = kept.filter((s) => s.weight < 0);
    const largest = Math.max(1e-12, ...kept.slice(0, 1).map((s) => Math.abs(s.weight)));
    wordsTitle.textContent = `The words ${LEARNER_LABELS[listed]} kept: the ${Math.min(LISTED, spam.length)} + ${Math.min(LISTED, ham.length)} largest of ${formatCount(kept.length)}`;
    spamList.replaceChildren(...spam.slice(0, LISTED).map((s) => wordItem(s, largest)));
    hamList.replaceChildren(...ham.slice(0, LISTED).map((s) => wordItem(s, largest)));
    results.caption.textContent = sparsityCaption(
      current.get('ftrl')!,
      current.get('adagrad')!,
      wordsSeen,
      formatValue,
    );
    root.dataset.nonzeros = String(model.nonzeros);
  };

  /**
   * The sweep in slices of ~10 ms of training (a few λ, both learners), each drawn before the next
   * task, so that the page keeps answering the reader while the curves grow.
   */
  const sweep = (trained: SparseModels): void => {
    const started = performance.now();
    let next = 0;
    const trainSlice = (): void => {
      const sliceStart = performance.now();
      do {
        for (const learner of SPARSE_LEARNERS) trained.get(learner, SWEEP_LAMBDAS[next]);
        next += 1;
      } while (next < SWEEP_LAMBDAS.length && performance.now() - sliceStart < SWEEP_SLICE_MS);
      drawSweep();
      if (next < SWEEP_LAMBDAS.length) setTimeout(trainSlice, 0);
      else {
        root.dataset.sweepMs = (performance.now() - started).toFixed(0);
        root.dataset.swept = 'true';
      }
    };
    setTimeout(trainSlice, 0);
  };

  onParamsChange(host, Object.values(L1_PARAMS), render);
  render();
  // Fetching and hashing the sample and training cost tens of milliseconds, the sweep ~0.1-0.2 s:
  // done when the reader gets here, not while the page loads.
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    loadSpamSample().then(
      (messages) => {
        models = new SparseModels(splitSample(messages));
        render();
        root.dataset.trained = 'true';
        sweep(models);
      },
      (error: unknown) => {
        const message = `The messages could not be loaded (${(error as Error).message}), so this figure cannot train.`;
        results.caption.textContent = message;
        sweepCaptionNode.textContent = message;
      },
    );
  };
  onFirstVisible(results.root, start);
  onFirstVisible(nonzerosFigure.root, start);
};
