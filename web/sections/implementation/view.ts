// Section 5: the AdaGrad code the page runs, cut from its real source file, and a live training run
// of SGD against AdaGrad on hashed words of SpamAssassin mail.
import { button, logSlider } from '../../figures/controls.js';
import { lineChart, type ChartSeries } from '../../figures/line-chart.js';
import { element, onFirstVisible, type MountSection, type SectionHost } from '../../lib/section.js';
import { loadSpamSample } from '../../lib/spam-sample.js';
import { highlight } from './highlight.js';
import { adagradGlueSources, adagradStepSources, plainUpdateSource, type ShownSource } from './source.js';
import {
  createTrainingRun,
  IMPLEMENTATION_PARAMS,
  TRAINING_LR_GRID as LR_GRID,
  hashMessages,
  type HashedMessage,
  type LabelledMessage,
  type TrainingRun,
} from './training-model.js';

/** Messages trained per animation frame: the whole pass takes about a second. */
const MESSAGES_PER_FRAME = 8;

export const mountImplementation: MountSection = (root, host) => {
  root.append(element('h2', {}, 'The implementation: the code this page runs'));
  const { dense, sparse } = adagradStepSources();
  const exact = element('details', { class: 'code-details' });
  exact.append(
    element(
      'summary',
      {},
      'The exact code the page runs: PyTorch\u2019s rounding, weight decay and the presets',
    ),
    element(
      'p',
      {},
      'Every AdaGrad figure on this page calls the function below. It is not a copy typed into the page: the page imports the library file as text and cuts the function out of it, so what you read is what runs. Each line rounds like PyTorch\u2019s float32 arithmetic when the parameters are float32 (r(…) is that rounding); the page uses float64 parameters, which take this same code without rounding. The branches are the presets of other libraries: ε inside the root, TF.js\u2019s order of operations, decoupled weight decay, an ℓ1 term.',
    ),
    codeFigure(dense, 'The dense step: every coordinate gets a gradient. The landscapes above use it.'),
    element(
      'p',
      {},
      'A sparse gradient names only some coordinates (the words of one e-mail, say). Only those coordinates\u2019 accumulators grow and only they move: the work is proportional to the message, not to the model.',
    ),
    codeFigure(sparse, 'The sparse step: the arithmetic the training run below fuses into its learner.'),
    glueDetails(),
  );
  root.append(
    element(
      'p',
      {},
      'Here is the update you have met, as code. The kernel calls G sum and η clr (the current learning rate, which a decay option can lower over time); each coordinate adds its squared gradient to its sum, then steps by η over the root of that sum:',
    ),
    codeFigure(
      plainUpdateSource(),
      'AdaGrad\u2019s update as the lesson wrote it: G \u2190 G + g\u00b2, \u03b8 \u2190 \u03b8 \u2212 \u03b7 g / (\u221aG + \u03b5). A test checks it against the library\u2019s step, bit for bit in float64.',
    ),
    exact,
  );
  mountTraining(root, host);
};

/** How the optimizer calls the kernels, folded away for the curious. */
function glueDetails(): HTMLElement {
  const { scalars, applySparse } = adagradGlueSources();
  const details = element('div', { class: 'code-glue' });
  details.append(
    element('h4', {}, 'How Adagrad.step calls these kernels'),
    element(
      'p',
      {},
      'The optimizer checks every gradient first, then computes the step\u2019s scalars once per parameter (the decayed rate clr and the convention\u2019s epsilon placement) and hands them to the kernel with the parameter and its accumulator:',
    ),
    codeFigure(scalars, 'the scalars of one step'),
    codeFigure(applySparse, 'a sparse gradient goes to the sparse kernel'),
  );
  return details;
}

function codeFigure(source: ShownSource, caption: string): HTMLElement {
  const figure = element('figure', { class: 'code-figure' });
  const pre = element('pre', { tabindex: '0', 'aria-label': `Source of ${source.name}` });
  const code = element('code', { class: 'language-ts' });
  for (const token of highlight(source.text)) {
    if (token.kind === 'plain') code.append(document.createTextNode(token.text));
    else code.append(element('span', { class: `tok-${token.kind}` }, token.text));
  }
  pre.append(code);
  figure.append(pre, element('figcaption', {}, `${source.file}:${source.line} \u2014 ${caption}`));
  return figure;
}

function mountTraining(root: HTMLElement, host: SectionHost): void {
  root.append(
    element('h3', {}, 'Live: SGD and AdaGrad learn to spot spam'),
    element(
      'p',
      {},
      `Logistic regression on a few hundred short messages from the SpamAssassin public corpus (subject and first words). Each word is hashed to one of 2^14 weights with the library\u2019s feature hashing. The model sees each message once: it first predicts it (that prediction is scored), then takes one optimizer step on it. Rare words get their own large AdaGrad steps; with one shared rate, SGD must choose between too small for them and too large for the common words.`,
    ),
  );
  let count: number | undefined;
  let loadError: string | undefined;
  // Fetched when the figure first comes into view (or on Train): not during the page's first draw.
  let sample: Promise<LabelledMessage[]> | undefined;
  const loadSample = (): Promise<LabelledMessage[]> => {
    if (sample !== undefined) return sample;
    sample = loadSpamSample();
    sample.then(
      (messages) => {
        count = messages.length;
        chart.setXMax(count);
        if (runs.length === 0) draw();
      },
      (error: unknown) => {
        loadError = `The messages could not be loaded (${(error as Error).message}), so this demo cannot train.`;
        trainButton.disabled = true;
        draw();
      },
    );
    return sample;
  };
  // Hashed on the first Train, not at load: the page draws everything else first.
  let hashed: HashedMessage[] | undefined;
  const data = async (): Promise<HashedMessage[]> => (hashed ??= hashMessages(await loadSample()));
  const controls = element('div', { class: 'controls' });
  const lrControl = (param: typeof IMPLEMENTATION_PARAMS.sgdLr, name: string) =>
    logSlider(
      LR_GRID,
      (lr) => `${name} learning rate: ${lr}`,
      (lr) => host.set(param, lr),
    );
  const sgdSlider = lrControl(IMPLEMENTATION_PARAMS.sgdLr, 'SGD');
  const adagradSlider = lrControl(IMPLEMENTATION_PARAMS.adagradLr, 'AdaGrad');
  const trainButton = button('Train', () => void start());
  trainButton.setAttribute('data-action', 'train');
  const resetButton = button('Reset', () => reset());
  resetButton.setAttribute('data-action', 'reset');
  controls.append(sgdSlider.root, adagradSlider.root, trainButton, resetButton);
  const chartBox = element('div', { class: 'chart-figure' });
  const status = element('p', { class: 'training-status', 'aria-live': 'polite' });
  root.append(controls, chartBox, status);
  const chart = lineChart(chartBox, {
    title: 'Average progressive log loss of SGD and AdaGrad over messages seen',
    xLabel: 'messages seen',
    yLabel: 'average log loss',
  });

  let runs: TrainingRun[] = [];
  let frame = 0;
  const draw = (): void => {
    const series: ChartSeries[] = runs.map((r) => ({
      key: r.kind,
      label: `${r.kind === 'sgd' ? 'SGD' : 'AdaGrad'} (lr ${r.lr})`,
      color: r.kind === 'sgd' ? 'var(--sgd)' : 'var(--adagrad)',
      values: r.curve,
    }));
    chart.update(series);
    if (runs.length === 0 || runs[0].seen === 0) {
      status.textContent =
        loadError ??
        `Loading the messages; both models train on them as soon as they are in${count === undefined ? '' : ` (${count} messages)`}.`;
      return;
    }
    status.textContent = runs
      .map(
        (r) =>
          `${r.kind === 'sgd' ? 'SGD' : 'AdaGrad'}: ${r.seen} of ${r.total} messages, average log loss ${r.curve[r.curve.length - 1].toFixed(3)}, ${(100 * r.accuracy).toFixed(1)}% predicted right before learning from them.`,
      )
      .join(' ');
  };
  const stop = (): void => {
    if (frame !== 0) cancelAnimationFrame(frame);
    frame = 0;
  };
  const reset = (): void => {
    stop();
    runs = [];
    draw();
  };
  const start = async (): Promise<void> => {
    stop();
    let messages: HashedMessage[];
    try {
      messages = await data();
    } catch {
      return; // the status line already says why
    }
    runs = [
      createTrainingRun('sgd', host.get(IMPLEMENTATION_PARAMS.sgdLr), messages),
      createTrainingRun('adagrad', host.get(IMPLEMENTATION_PARAMS.adagradLr), messages),
    ];
    if (host.reducedMotion) {
      for (const r of runs) r.advance(messages.length);
      draw();
      return;
    }
    const tick = (): void => {
      const done = runs.map((r) => r.advance(MESSAGES_PER_FRAME)).every(Boolean);
      draw();
      frame = done ? 0 : requestAnimationFrame(tick);
      if (done) stop();
    };
    frame = requestAnimationFrame(tick);
  };
  const sync = (): void => {
    sgdSlider.update(host.get(IMPLEMENTATION_PARAMS.sgdLr));
    adagradSlider.update(host.get(IMPLEMENTATION_PARAMS.adagradLr));
  };
  host.onChange(() => {
    const lrs = [host.get(IMPLEMENTATION_PARAMS.sgdLr), host.get(IMPLEMENTATION_PARAMS.adagradLr)];
    sync();
    // A run drawn with other rates than the sliders show would disagree with its labels: start over.
    if (runs.length > 0 && (runs[0].lr !== lrs[0] || runs[1].lr !== lrs[1])) reset();
  });
  // The figure trains the first time it is on screen, as the other animations play: a reader sees
  // the two curves without having to find the button first.
  onFirstVisible(chartBox, () => {
    if (runs.length === 0) void start();
  });
  sync();
  draw();
}
