import { OptimizerInputError } from './errors.js';

/** Checks a hyperparameter is a finite number >= 0, naming the optimizer and the option when not. */
export function nonNegative(optimizer: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new OptimizerInputError(
      `${optimizer}: option '${option}' must be a finite number >= 0, got ${describe(value)}`,
    );
  }
  return value;
}

/** Checks a hyperparameter is a finite number > 0 (a rate something is divided by). */
export function positive(optimizer: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new OptimizerInputError(
      `${optimizer}: option '${option}' must be a finite number > 0, got ${describe(value)}`,
    );
  }
  return value;
}

/** Checks Adam's pair [beta1, beta2], each in [0, 1). */
export function betaPair(optimizer: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new OptimizerInputError(
      `${optimizer}: option 'betas' must be a pair [beta1, beta2], got ${describe(value)}`,
    );
  }
  return [unitInterval(optimizer, 'betas[0]', value[0]), unitInterval(optimizer, 'betas[1]', value[1])];
}

/** Checks a coefficient lies in [0, 1) (betas, alpha, rho). */
export function unitInterval(optimizer: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new OptimizerInputError(
      `${optimizer}: option '${option}' must be in [0, 1), got ${describe(value)}`,
    );
  }
  return value;
}

export function flag(optimizer: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new OptimizerInputError(
      `${optimizer}: option '${option}' must be true or false, got ${describe(value)}`,
    );
  }
  return value;
}

export function oneOf<T extends string>(
  optimizer: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptimizerInputError(
      `${optimizer}: option '${option}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

/** Rejects option names the optimizer does not know, suggesting none: the list of known names is short. */
export function rejectUnknownOptions(optimizer: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new OptimizerInputError(`${optimizer}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? value.slice(0, 40) + '…' : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}
