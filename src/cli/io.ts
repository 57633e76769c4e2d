/**
 * Where the command writes. Commands never touch process.stdout directly, so tests can run them in
 * process and the one place that prints (main.ts) decides about terminals and exit codes.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: only then is a progress bar drawn. */
  readonly isTTY: boolean;
  /** Set by main.ts on SIGINT; long loops check it between examples. */
  readonly interrupted: () => boolean;
}

export function processIo(state: { interrupted: boolean }): Io {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    interrupted: () => state.interrupted,
  };
}
