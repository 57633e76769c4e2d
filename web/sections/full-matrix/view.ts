// "Beyond the diagonal", the view: diagonal and full-matrix AdaGrad on one panel of the rotated valley,
// from one draggable start, with the step ellipse each uses; then what the full matrix costs.
import { formatCount, formatValue } from '../../figures/format.js';
import { tracePath } from '../../figures/geometry.js';
import { createLandscapePanel } from '../../figures/landscape-panel.js';
import { figure, formula } from '../../figures/layout.js';
import { createPlayer } from '../../figures/player.js';
import { onParamsChange } from '../../lib/hash-state.js';
import { element, type MountSection } from '../../lib/section.js';
import { OPTIMIZERS } from '../optimizers.js';
import {
  DIAGONAL_RULE,
  FULL_MATRIX_LANDSCAPE,
  FULL_MATRIX_LR,
  FULL_MATRIX_PARAMS,
  FULL_MATRIX_RULE,
  FULL_MATRIX_STEPS,
  diagonalCost,
  ellipseIndexAt,
  fullMatrixCaption,
  fullMatrixCost,
  fullMatrixRuns,
  shampooCost,
  shapeOf,
  type FullMatrixRuns,
} from './model.js';

const DIAGONAL = { key: 'adagrad', label: 'Diagonal AdaGrad', color: OPTIMIZERS.adagrad.color } as const;
const FULL = {
  key: 'full-matrix',
  label: OPTIMIZERS.fullMatrix.label,
  color: OPTIMIZERS.fullMatrix.color,
} as const;

/** The long semi-axis every ellipse is drawn with, in data units (the view is 12 units wide). */
const ELLIPSE_SIZE = 1.1;

/** The weights of the spam model in the next section: what a full matrix would cost there. */
const SPAM_WEIGHTS = 2 ** 14;
/** A mid-sized layer of a network, for Shampoo's factors. */
const LAYER = { m: 1024, n: 1024 };

function bytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let k = 0;
  while (n >= 1024 && k < units.length - 1) {
    n /= 1024;
    k++;
  }
  return `${formatValue(n)} ${units[k]}`;
}

export const mountFullMatrix: MountSection = (root, host) => {
  root.append(
    element('h2', {}, 'Beyond the diagonal: full-matrix AdaGrad'),
    element(
      'p',
      {},
      'Diagonal AdaGrad keeps one number per coordinate, so its step can be stretched along x and along y but never along a diagonal. On the rotated valley the steep and flat directions are diagonals, and the race above showed what that costs. The paper’s first algorithm keeps the whole matrix of gradient products: G gathers g gᵀ, whose off-diagonal entries record how the coordinates’ gradients move together, and the step divides by G’s matrix square root.',
    ),
    formula(FULL_MATRIX_RULE),
    element('p', {}, 'The diagonal rule, for comparison, keeps only the diagonal of that matrix:'),
    formula(DIAGONAL_RULE),
    element(
      'p',
      { class: 'hint' },
      'Both run with η = 1 from the same start: drag it (or focus it and use the arrow keys). The ellipses are each step’s preconditioner applied to every unit gradient, all drawn at one size: their shape and direction are what matter here, and the caption gives their real sizes.',
    ),
  );

  const panelFigure = figure('');
  panelFigure.root.classList.add('full-matrix-figure');
  root.append(panelFigure.root);
  const panel = createLandscapePanel(panelFigure.body, {
    label: 'Diagonal and full-matrix AdaGrad on the rotated valley, with their step ellipses',
    onStartMove: (start) => host.set(FULL_MATRIX_PARAMS.start, start),
  });
  panel.setLandscape(FULL_MATRIX_LANDSCAPE);
  const legend = element('ul', { class: 'path-legend', 'aria-label': 'Legend' });
  for (const entry of [DIAGONAL, FULL]) {
    const item = element('li');
    const swatch = element('span', { class: 'swatch-line', 'aria-hidden': 'true' });
    swatch.style.background = entry.color;
    item.append(swatch, document.createTextNode(`${entry.label} (η = ${FULL_MATRIX_LR})`));
    legend.append(item);
  }
  panelFigure.caption.before(legend);
  panelFigure.caption.setAttribute('aria-live', 'polite');

  let runs: FullMatrixRuns = fullMatrixRuns([...host.get(FULL_MATRIX_PARAMS.start)] as [number, number]);
  const draw = (t: number): void => {
    const upTo = Math.min(t, runs.steps);
    panel.drawPaths([
      tracePath(runs.diagonal, upTo, { ...DIAGONAL, dots: true }),
      tracePath(runs.full, upTo, { ...FULL, dots: true }),
    ]);
    const k = ellipseIndexAt(runs, upTo);
    panel.drawEllipses([
      { ...shapeOf(runs.diagonalEllipses[k], ELLIPSE_SIZE), color: DIAGONAL.color, current: true },
      { ...shapeOf(runs.fullEllipses[k], ELLIPSE_SIZE), color: FULL.color, current: true },
    ]);
    panelFigure.caption.textContent = fullMatrixCaption(runs, upTo, formatValue);
  };
  const player = createPlayer({
    label: 'Beyond the diagonal',
    length: () => FULL_MATRIX_STEPS,
    onFrame: draw,
    figure: panelFigure.root,
    reducedMotion: host.reducedMotion,
    speed: 15,
  });
  panelFigure.root.after(player.root);
  panel.setStart(host.get(FULL_MATRIX_PARAMS.start));

  onParamsChange(host, Object.values(FULL_MATRIX_PARAMS), () => {
    const start = host.get(FULL_MATRIX_PARAMS.start);
    const started = performance.now();
    runs = fullMatrixRuns([...start] as [number, number]);
    root.dataset.recomputeMs = (performance.now() - started).toFixed(2);
    panel.setStart(start);
    player.refresh();
  });

  const spamFull = fullMatrixCost(SPAM_WEIGHTS);
  const spamDiagonal = diagonalCost(SPAM_WEIGHTS);
  const layerFull = fullMatrixCost(LAYER.m * LAYER.n);
  const layerShampoo = shampooCost(LAYER.m, LAYER.n);
  root.append(
    element('h3', {}, 'What the full matrix costs'),
    element(
      'p',
      {},
      `Here d = 2, and G is a 2×2 matrix. For d coordinates it holds d² numbers, and every step needs its square root, an eigendecomposition of order d³ operations. The spam model in the next section has d = ${formatCount(SPAM_WEIGHTS)} hashed weights: its full G would hold ${formatValue(spamFull.entries)} numbers (${bytes(spamFull.bytes)} in float64) and each step would cost on the order of ${formatValue(spamFull.operations)} operations, against ${formatCount(spamDiagonal.entries)} numbers (${bytes(spamDiagonal.bytes)}) and as many operations for the diagonal. That is why practice went diagonal: AdaGrad, RMSprop and Adam all keep one number per weight.`,
    ),
    element(
      'p',
      {},
      `Lately the full matrix has come back in factored form. Shampoo (Gupta, Koren and Singer, 2018) treats an m×n layer’s gradient G as a matrix and keeps two small accumulators, L ← L + GGᵀ (m×m) and R ← R + GᵀG (n×n), stepping by L^(−1/4) G R^(−1/4): a Kronecker-factored stand-in for the full matrix that still sees how coordinates move together. For a ${LAYER.m}×${LAYER.n} layer the full matrix would hold ${formatValue(layerFull.entries)} numbers (${bytes(layerFull.bytes)}); Shampoo’s two factors hold ${formatValue(layerShampoo.entries)} (${bytes(layerShampoo.bytes)}), and their eigendecompositions cost about ${formatValue(layerShampoo.operations)} operations instead of ${formatValue(layerFull.operations)}.`,
    ),
  );
};
