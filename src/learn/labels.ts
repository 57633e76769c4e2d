/**
 * Labels as read from data, mapped to each loss's own convention — and checked, because a label
 * convention that silently disagrees with the loss is the classic way to train a useless model.
 *
 * | loss     | accepted raw labels                       | used as      | labelKind   |
 * | -------- | ----------------------------------------- | ------------ | ----------- |
 * | logistic | +1/−1 or 1/0 (one convention per run)     | 1 / 0        | plusminus or zeroone |
 * | hinge    | +1/−1 or 1/0 (one convention per run)     | +1 / −1      | plusminus or zeroone |
 * | squared  | any finite number                         | itself       | real        |
 * | softmax  | 0..K−1 (firstClass 0, default) or 1..K    | class 0..K−1 | class       |
 *
 * A label of 1 fits both binary conventions, so only −1 or 0 decide which one a run uses; mixing
 * them is an error naming the line.
 */
import { DataError } from '../data/errors.js';
import type { LossName } from './losses.js';

export type LabelKind = 'plusminus' | 'zeroone' | 'real' | 'class';

/** Where a label came from, for error messages. */
export interface LabelWhere {
  file?: string;
  line?: number;
}

export interface LabelOptions {
  /** Softmax: the number of classes K. */
  classes?: number;
  /** Softmax: whether classes are numbered from 0 (default) or 1 (VW's convention). */
  firstClass?: 0 | 1;
  /** Binary losses: the convention seen so far; a label of the other one is an error. */
  seen?: LabelKind;
}

/** The convention a raw label shows (undefined for a binary 1, which fits both). */
export function labelKindOf(loss: LossName, raw: number): LabelKind | undefined {
  switch (loss) {
    case 'logistic':
    case 'hinge':
      return raw === -1 ? 'plusminus' : raw === 0 ? 'zeroone' : undefined;
    case 'squared':
      return 'real';
    case 'softmax':
      return 'class';
  }
}

const describeKind = (kind: LabelKind | undefined): string =>
  kind === 'plusminus' ? '+1/-1' : kind === 'zeroone' ? '1/0' : String(kind);

/**
 * The label in the loss's convention: 1/0 for logistic, ±1 for hinge, the value for squared, the
 * 0-based class for softmax. Throws a DataError naming the line when the label does not fit.
 */
export function labelFor(
  loss: LossName,
  raw: number,
  where: LabelWhere = {},
  options: LabelOptions = {},
): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    throw new DataError(`label ${String(raw)} is not a finite number`, where);
  }
  switch (loss) {
    case 'logistic':
    case 'hinge': {
      if (raw !== 1 && raw !== -1 && raw !== 0) {
        throw new DataError(
          `label ${raw} does not fit the ${loss} loss: expected +1/-1 or 1/0 (use the squared loss for real-valued targets, softmax for classes)`,
          where,
        );
      }
      const kind = labelKindOf(loss, raw);
      if (kind !== undefined && options.seen !== undefined && options.seen !== kind) {
        throw new DataError(
          `label ${raw} mixes label conventions: earlier labels were ${describeKind(options.seen)}`,
          where,
        );
      }
      if (loss === 'logistic') return raw === 1 ? 1 : 0;
      return raw === 1 ? 1 : -1;
    }
    case 'squared':
      return raw;
    case 'softmax': {
      const k = options.classes ?? 0;
      const first = options.firstClass ?? 0;
      const y = raw - first;
      if (!Number.isInteger(raw) || y < 0 || y >= k) {
        const hint =
          first === 0 && raw === k
            ? ' (classes numbered 1..K? set firstClass 1)'
            : first === 1 && raw === 0
              ? ' (classes numbered 0..K-1? set firstClass 0)'
              : '';
        throw new DataError(
          `label ${raw} does not fit the softmax loss with ${k} classes: expected an integer ${first}..${first + k - 1}${hint}`,
          where,
        );
      }
      return y;
    }
  }
}
