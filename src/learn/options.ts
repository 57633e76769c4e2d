/**
 * The linear learner's options, their defaults, and their validation.
 *
 * Defaults are chosen for one online pass over unit-length hashed features, not for networks: the
 * library's PyTorch default (AdaGrad lr 0.01) moves a weight by at most 0.01·√(its examples), far
 * too little for one pass. Measured on the `spam` corpus (80/20 split, one pass, bits 18), see
 * README.md in this folder for the table and the numbers.
 */
import { checkBits, DEFAULT_BITS } from '../data/hashing.js';
import {
  ADAGRAD_PRESETS,
  type AdagradPreset,
  createOptimizer,
  OptimizerInputError,
  OPTIMIZERS,
  type OptimizerName,
} from '../optim/index.js';
import { LearnerError, LearnerOptionError } from './errors.js';
import { isLossName, LOSS_NAMES, type LossName } from './losses.js';

export type { OptimizerName };
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as readonly OptimizerName[];

/** Softmax: the most classes K (K weight vectors of 2^bits). */
export const MAX_CLASSES = 1024;

/** Learning rates that give a good model with no options on unit-length sparse rows. */
export const DEFAULT_LR: Readonly<Record<OptimizerName, number>> = {
  adagrad: 0.5,
  sgd: 2,
  rmsprop: 0.01,
  adam: 0.01,
  adamw: 0.01,
  adadelta: 3,
  ftrl: 0.1,
  'adagrad-da': 0.5,
  'adagrad-norm': 0.5,
  'sparse-adam': 0.01,
  'full-matrix-adagrad': 0.5,
};

export interface LearnerOptions {
  /** Default 'logistic'. */
  loss: LossName;
  /** 2^bits weights per class (1..28, default 18); feature indices are taken modulo 2^bits. */
  bits: number;
  /** Softmax: the number of classes K >= 2 (K weight vectors). 1 for the other losses. */
  classes: number;
  /** Softmax: classes numbered 0..K−1 (0, default) or 1..K (1, as in VW). */
  firstClass: 0 | 1;
  /**
   * L2 strength λ of the penalty (λ/2)·||w||² per update (bias excluded): FTRL's and dual
   * averaging's own l2, the dense optimizers' weightDecay, a lazy decay for the others. Default 0.
   */
  l2: number;
  /**
   * ℓ1 strength (bias excluded), for sparse models: FTRL's and dual averaging's l1, AdaGrad's
   * composite-mirror-descent l1 (pytorch or paper preset). The other optimizers refuse it. Default 0.
   */
  l1: number;
  /**
   * Adam and RMSprop: update only the touched features' state (SparseAdam, lazy RMSprop), O(nonzeros)
   * per example, rather than every weight every example. Default true.
   */
  lazy: boolean;
  /** Default 'adagrad'. */
  optimizer: OptimizerName;
  /** AdaGrad's convention (see the library's presets). Default 'pytorch'. */
  preset: AdagradPreset;
  /** Learning rate; default DEFAULT_LR[optimizer]. */
  lr: number;
  /** AdaGrad: the accumulator's start; default the preset's (0 for pytorch). */
  initialAccumulatorValue: number;
  /** AdaGrad: ε; default the preset's (1e-10 for pytorch, outside the root). */
  eps: number;
}

export type LearnerOptionsInput = Partial<LearnerOptions>;

const KNOWN = [
  'loss',
  'bits',
  'classes',
  'firstClass',
  'l2',
  'l1',
  'lazy',
  'optimizer',
  'preset',
  'lr',
  'initialAccumulatorValue',
  'eps',
] as const;

function fail(option: string, expected: string, got: unknown): never {
  throw new LearnerOptionError(option, `must be ${expected}, got ${JSON.stringify(got)}`);
}

const finiteAtLeast = (option: string, v: unknown, min: number, exclusive = false): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (exclusive && v === min)) {
    fail(option, `a finite number ${exclusive ? '>' : '>='} ${min}`, v);
  }
  return v;
};

/** Fills in defaults and checks every option, naming the first bad one. */
export function resolveLearnerOptions(given: LearnerOptionsInput = {}): LearnerOptions {
  if (typeof given !== 'object' || given === null) fail('options', 'an object', given);
  for (const key of Object.keys(given)) {
    if (
      !(KNOWN as readonly string[]).includes(key) &&
      (given as Record<string, unknown>)[key] !== undefined
    ) {
      throw new LearnerError(`LinearLearner: unknown option '${key}' (known: ${KNOWN.join(', ')})`);
    }
  }
  const loss = given.loss ?? 'logistic';
  if (!isLossName(loss)) fail('loss', `one of ${LOSS_NAMES.join(', ')}`, loss);
  const bits = given.bits ?? DEFAULT_BITS;
  try {
    checkBits(bits);
  } catch {
    fail('bits', 'an integer from 1 to 28', bits);
  }
  let classes = given.classes ?? (loss === 'softmax' ? undefined : 1);
  if (loss === 'softmax') {
    if (classes === undefined)
      throw new LearnerOptionError('classes', 'is needed by the softmax loss (K >= 2 classes)');
    if (!Number.isInteger(classes) || classes < 2 || classes > MAX_CLASSES)
      fail('classes', `an integer from 2 to ${MAX_CLASSES}`, classes);
  } else if (classes !== 1) {
    throw new LearnerOptionError('classes', `applies to the softmax loss only (loss is '${loss}')`);
  }
  classes = classes as number;
  const firstClass = given.firstClass ?? 0;
  if (firstClass !== 0 && firstClass !== 1) fail('firstClass', '0 or 1', firstClass);
  const l2 = finiteAtLeast('l2', given.l2 ?? 0, 0);
  const l1 = finiteAtLeast('l1', given.l1 ?? 0, 0);
  const lazy = given.lazy ?? true;
  if (typeof lazy !== 'boolean') fail('lazy', 'true or false', lazy);
  const optimizer = given.optimizer ?? 'adagrad';
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(optimizer)) {
    fail('optimizer', `one of ${OPTIMIZER_NAMES.join(', ')}`, optimizer);
  }
  const lr = finiteAtLeast('lr', given.lr ?? DEFAULT_LR[optimizer], 0, true);
  const resolved = optimizerOptions(optimizer, given, lr, l1, l2);
  // The default preset and AdaGrad's defaults are recorded for every optimizer, as model files have
  // always held them (saved options come back through here).
  const preset = (resolved.preset as AdagradPreset | undefined) ?? 'pytorch';
  const initialAccumulatorValue = finiteAtLeast(
    'initialAccumulatorValue',
    resolved.initialAccumulatorValue ?? ADAGRAD_PRESETS.pytorch.initialAccumulatorValue,
    0,
  );
  const eps = finiteAtLeast('eps', resolved.eps ?? ADAGRAD_PRESETS.pytorch.eps, 0);
  return {
    loss,
    bits,
    classes,
    firstClass,
    l2,
    l1,
    lazy,
    optimizer,
    preset,
    lr,
    initialAccumulatorValue,
    eps,
  };
}

/** The optimizers that take l1 and l2 as options of their own (their weights are functions of state). */
const OWN_L2: readonly OptimizerName[] = ['ftrl', 'adagrad-da'];
/** The optimizers the learner runs densely, whose weightDecay is the learner's l2. */
const DENSE_L2: readonly OptimizerName[] = ['adamw', 'adadelta', 'adam', 'rmsprop'];

/**
 * The options the learner gives the library optimizer of w and of b (the bias: no l1, no l2), from
 * its own. Only what was chosen is passed, so the optimizer's own defaults and presets apply.
 */
export function libraryOptionsOf(o: {
  optimizer: OptimizerName;
  lr: number;
  l1: number;
  l2: number;
  lazy?: boolean;
  preset?: string;
  eps?: number;
  initialAccumulatorValue?: number;
}): { w: Record<string, unknown>; b: Record<string, unknown> } {
  const b: Record<string, unknown> = { lr: o.lr };
  // 'pytorch' is the recorded default of every optimizer, not a request for AdaGrad's conventions.
  if (o.preset !== undefined && !(o.preset === 'pytorch' && o.optimizer !== 'adagrad')) b.preset = o.preset;
  for (const key of ['eps', 'initialAccumulatorValue'] as const) {
    const v = o[key];
    if (v !== undefined && v !== ADAGRAD_PRESETS.pytorch[key]) b[key] = v;
  }
  const w = { ...b };
  if (o.l1 > 0) w.l1 = o.l1;
  if (o.l2 > 0 && OWN_L2.includes(o.optimizer)) w.l2 = o.l2;
  const dense =
    DENSE_L2.includes(o.optimizer) &&
    !(o.lazy !== false && (o.optimizer === 'adam' || o.optimizer === 'rmsprop'));
  if (o.l2 > 0 && dense) w.weightDecay = o.l2;
  return { w, b };
}

/**
 * The optimizer's own resolution of the options it is given (which options it takes, its presets
 * and their defaults): the library's rules, not a copy of them. Checked on a one-weight probe.
 */
function optimizerOptions(
  optimizer: OptimizerName,
  given: LearnerOptionsInput,
  lr: number,
  l1: number,
  l2: number,
): Record<string, unknown> {
  const asked = libraryOptionsOf({ ...given, optimizer, lr, l1, l2 }).w;
  try {
    // A float64 probe: its state is ordinary memory and its kernels the reference ones, so checking
    // options neither loads the WebAssembly kernels nor leaves state in their memory.
    const options = createOptimizer(optimizer, { w: new Float64Array(1) }, asked).options;
    return { ...options, preset: asked.preset };
  } catch (error) {
    if (!(error instanceof OptimizerInputError)) throw error;
    const option =
      /option '(\w+)'/.exec(error.message)?.[1] ?? (asked.preset === undefined ? 'lr' : 'preset');
    throw new LearnerOptionError(option, `is refused by the optimizer: ${error.message}`);
  }
}
