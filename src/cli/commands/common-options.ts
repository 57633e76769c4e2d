/** Options several commands share, declared once so their names, ranges and help agree. */
import type { OptionSpec } from '../args.js';
import { FORMATS } from '../../data/format.js';
import { DEFAULT_BITS } from '../../data/hashing.js';
import { LOSS_NAMES } from '../../learn/losses.js';
import { DEFAULT_LR, MAX_CLASSES } from '../../learn/options.js';
import { OPTIMIZER_NAMES, PRESET_NAMES } from '../optimizers.js';

export const formatOption: OptionSpec = {
  name: 'format',
  kind: 'choice',
  choices: FORMATS,
  help: 'input format',
  defaultText: 'from the file extension',
};
export const bitsOption: OptionSpec = {
  name: 'bits',
  kind: 'integer',
  min: 1,
  max: 28,
  help: 'hash space: 2^bits weights (per class)',
  defaultText: String(DEFAULT_BITS),
};
export const labelColumnOption: OptionSpec = {
  name: 'label-column',
  kind: 'string',
  placeholder: 'NAME',
  help: 'CSV: the label column',
  defaultText: 'label',
};
export const skipBadLinesOption: OptionSpec = {
  name: 'skip-bad-lines',
  kind: 'boolean',
  help: 'count and skip malformed lines instead of stopping at the first',
};
export const lossOption: OptionSpec = {
  name: 'loss',
  kind: 'choice',
  choices: LOSS_NAMES,
  help: 'loss function',
  defaultText: 'logistic',
};
export const optimizerOption: OptionSpec = {
  name: 'optimizer',
  kind: 'choice',
  choices: OPTIMIZER_NAMES,
  help: 'optimizer of the library',
  defaultText: 'adagrad',
};
export const presetOption: OptionSpec = {
  name: 'preset',
  kind: 'choice',
  choices: PRESET_NAMES,
  help: "AdaGrad's convention (accumulator start, epsilon placement)",
  defaultText: 'pytorch',
};
export const lrOption: OptionSpec = {
  name: 'lr',
  kind: 'number',
  min: 0,
  minExclusive: true,
  placeholder: 'RATE',
  help: 'learning rate',
  defaultText: Object.entries(DEFAULT_LR)
    .map(([name, lr]) => `${name} ${lr}`)
    .join(', '),
};
export const l2Option: OptionSpec = {
  name: 'l2',
  kind: 'number',
  min: 0,
  placeholder: 'LAMBDA',
  help: 'L2 regularization strength',
  defaultText: '0',
};
export const l1Option: OptionSpec = {
  name: 'l1',
  kind: 'number',
  min: 0,
  placeholder: 'LAMBDA',
  help: 'L1 regularization strength, for sparse models (ftrl, adagrad-da, adagrad)',
  defaultText: '0',
};
export const classesOption: OptionSpec = {
  name: 'classes',
  kind: 'integer',
  min: 2,
  max: MAX_CLASSES,
  placeholder: 'K',
  help: 'softmax: number of classes (labels 0..K-1)',
};
export const jsonOption: OptionSpec = { name: 'json', kind: 'boolean', help: 'JSON lines instead of text' };
export const quietOption: OptionSpec = { name: 'quiet', kind: 'boolean', help: 'print only errors' };
export const helpOption: OptionSpec = { name: 'help', kind: 'boolean', help: 'show this help' };
