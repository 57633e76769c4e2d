/** Bad learner options or calls: the message names the option or method and what was expected. */
export class LearnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearnerError';
  }
}

/**
 * A bad value of one named option. `requirement` is the message without the option's name, so a
 * command can say the same thing about its own flag (`--classes ...` for option 'classes').
 */
export class LearnerOptionError extends LearnerError {
  constructor(
    readonly option: string,
    readonly requirement: string,
  ) {
    super(`LinearLearner: option '${option}' ${requirement}`);
    this.name = 'LearnerOptionError';
  }
}
