/**
 * The linear learner from command-line flags. The learner checks its own options (src/learn/options.ts
 * is the one place for their rules); a command only says the same thing about its flags.
 */
import { LearnerError, LearnerOptionError } from '../learn/errors.js';
import { LinearLearner } from '../learn/linear.js';
import type { LearnerOptionsInput } from '../learn/options.js';
import { UsageError } from './errors.js';

/** The learner, or a UsageError naming the flag whose value it refused (`train: --classes ...`). */
export function learnerFromFlags(command: string, options: LearnerOptionsInput): LinearLearner {
  try {
    return new LinearLearner(options);
  } catch (error) {
    if (error instanceof LearnerOptionError) {
      throw new UsageError(`${command}: --${flagName(error.option)} ${error.requirement}`);
    }
    if (error instanceof LearnerError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}

/** The flag of a learner option: initialAccumulatorValue → initial-accumulator-value. */
function flagName(option: string): string {
  return option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
