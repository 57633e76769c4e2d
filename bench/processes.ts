/** Timing the command-line tools as a user runs them (wall time of each process), for the benches. */
import { spawnSync } from 'node:child_process';

export interface Timed {
  seconds: number;
  output: string;
}

export function timedProcess(command: string, args: string[]): Timed {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error}`,
    );
  }
  return { seconds, output: result.stdout };
}

/** The accuracy liblinear-predict prints. */
export function liblinearAccuracy(output: string): number {
  const match = /Accuracy = ([\d.]+)%/.exec(output);
  if (match === null) throw new Error(`liblinear-predict printed no accuracy: ${output}`);
  return Number(match[1]) / 100;
}

/** The last JSON line of a command's output (its summary or metrics). */
export function lastJson<T = Record<string, unknown>>(output: string): T {
  return JSON.parse(output.trim().split('\n').pop()!) as T;
}

export function requireTools(...tools: string[]): void {
  for (const tool of tools) {
    if (spawnSync('which', [tool]).status !== 0) {
      throw new Error(`${tool} not found: apt-get install liblinear-tools`);
    }
  }
}
