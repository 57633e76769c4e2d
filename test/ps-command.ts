/**
 * The `adagrad` command built for the parameter-store tests (as `npm run build:cli` builds it, into
 * a folder of its own under dist/, so that test files running side by side never share one). These
 * tests start the command dozens of times, and `train --ps` starts its workers with the same file:
 * the built command starts in a fraction of the time tsx takes to load the sources.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, ROOT } from './data/cli/helpers.js';

export interface BuiltCommand {
  /** Runs the command to its end (from the repository root unless `cwd` is given). */
  cli(args: string[], options?: { cwd?: string; env?: Record<string, string> }): CliResult;
  /** Starts it without waiting. */
  start(args: string[]): ChildProcess;
  remove(): void;
}

export function buildCommand(): BuiltCommand {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'dist', 'test-command-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'cli.vite.config.ts',
      '--outDir',
      dir,
      '--emptyOutDir',
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  const command = join(dir, 'adagrad.js');
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, ADAGRAD_DEBUG: '', ...extra });
  return {
    cli: (args, options = {}) => {
      const result = spawnSync(process.execPath, [command, ...args], {
        cwd: options.cwd ?? ROOT,
        encoding: 'utf8',
        env: env(options.env),
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    start: (args) => spawn(process.execPath, [command, ...args], { cwd: ROOT, env: env() }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Run {
  child: ChildProcess;
  /** Resolves once `ready(record)` has held for a JSON line of the output; fails if it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
}

/** Starts a command (with --json), watching its output lines. */
export function startRun(
  command: BuiltCommand,
  args: string[],
  ready: (record: Record<string, unknown>) => boolean,
): Run {
  const child = command.start(args);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const readyPromise = new Promise<void>((resolve, reject) => {
    void exited.then((code) =>
      reject(new Error(`exited (${code}) before it was ready: ${stderr}\n${stdout.slice(-2000)}`)),
    );
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const line of stdout.split('\n')) {
        try {
          if (ready(JSON.parse(line) as Record<string, unknown>)) resolve();
        } catch {
          // a partial line
        }
      }
    });
  });
  return { child, ready: readyPromise, exited, output: () => ({ stdout, stderr }) };
}

/** A process's children: pid and command line. */
export function childrenOf(pid: number): { pid: number; args: string }[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [pid, ...args] = l.trim().split(/\s+/);
      return { pid: Number(pid), args: args.join(' ') };
    });
}
