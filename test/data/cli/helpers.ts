/** Runs the command from source the way a user would (a child process), for the CLI tests. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const DATA = join(ROOT, 'test/data/cli');
const MAIN = join(ROOT, 'src/cli/main.ts');
const NODE_ARGS = ['--import', 'tsx', MAIN];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Always run from the repository root, where `--import tsx` resolves; pass absolute paths. */
export function cli(args: string[], options: { input?: string; debug?: boolean } = {}): CliResult {
  const result = spawnSync(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, ADAGRAD_DEBUG: options.debug ? '1' : '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Spawns without waiting, for the Ctrl-C test. */
export function cliProcess(args: string[]) {
  return spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
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
