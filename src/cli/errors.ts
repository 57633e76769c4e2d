/**
 * The two kinds of failure the command reports. Both become ONE line on stderr; only the exit code
 * differs, as with most Unix tools: 2 when the command line itself is wrong, 1 when the input or
 * the environment is.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure that is not a usage mistake: bad data, a missing or corrupt model, an unwritable file. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, what shells report for a command stopped with Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** The one-line message for any thrown value: the first line only, so no stack ever leaks. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return first.trim();
}

export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}
