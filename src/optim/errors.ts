/** Every error the optimizers raise for bad input: the message names the problem and where. */
export class OptimizerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptimizerInputError';
  }
}
