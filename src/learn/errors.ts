/** Bad learner options or calls: the message names the option or method and what was expected. */
export class LearnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearnerError';
  }
}
