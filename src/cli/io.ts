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
  // A reader that stops early (`adagrad predict ... | head`) closes the pipe: what is left to print is
  // dropped, and the command goes on to finish its work (a model still gets saved), as other Unix
  // tools stop printing quietly. Any other failure to write is the one line an error gets.
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      stdoutClosed = true;
      return;
    }
    process.stderr.write(`adagrad: cannot write to standard output: ${e.message}\n`);
    process.exit(1);
  });
  return {
    out: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    err: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    interrupted: () => state.interrupted,
  };
}
