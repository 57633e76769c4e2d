/** Runs the command from source the way a user would (a child process), for the CLI tests. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const DATA = join(ROOT, 'test/data/cli');
const MAIN = join(ROOT, 'src/cli/main.ts');
// tsx by its path, so the command also runs from a directory outside the repository.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
export const NODE_ARGS = ['--import', TSX, MAIN];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs from the repository root unless `cwd` is given; pass absolute paths or set `cwd`. */
export function cli(
  args: string[],
  options: { input?: string; debug?: boolean; cwd?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [...NODE_ARGS, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, ADAGRAD_DEBUG: options.debug ? '1' : '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Spawns without waiting, for the Ctrl-C test and commands that run in the background. */
export function cliProcess(args: string[], options: { cwd?: string } = {}) {
  return spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ADAGRAD_DEBUG: '' },
  });
}

const scratchDirs: string[] = [];

/** A fresh temporary directory; removeScratch() deletes every one made so far. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'adagrad-cli-'));
  scratchDirs.push(dir);
  return dir;
}

export function removeScratch(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
