/**
 * Every `adagrad` command line written in the README's shell blocks runs as a new user would run it:
 * in order, in one fresh directory (so `adagrad dataset spam --out spam` makes the files the later
 * lines read), and each must exit 0. Lines that name the parameter store at redis://127.0.0.1:6379
 * run against a redis-server this test starts on a free loopback port; a line ending in `&` runs in
 * the background until the others are done.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliProcess, removeScratch, ROOT, scratch } from './data/cli/helpers.js';

const README_REDIS = 'redis://127.0.0.1:6379';

interface CommandLine {
  text: string;
  args: string[];
  background: boolean;
}

/** The words of a shell line: whitespace-separated, '…' and "…" quoting, `#` comments dropped. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const ch of line) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (ch === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote !== undefined) throw new Error(`unclosed quote in README line: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

function readmeCommandLines(): CommandLine[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const lines: CommandLine[] = [];
  for (const block of readme.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    for (const raw of block[1].split('\n')) {
      const words = shellWords(raw.trim());
      if (words[0] !== 'adagrad') continue;
      const background = words[words.length - 1] === '&';
      lines.push({ text: raw.trim(), args: words.slice(1, background ? -1 : undefined), background });
    }
  }
  return lines;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => (socket.destroy(), resolve(false)));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`redis-server did not open port ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const commandLines = readmeCommandLines();
const needsRedis = commandLines.some((line) => line.args.some((a) => a.includes(README_REDIS)));
let dir: string;
let redisUrl = README_REDIS;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = scratch();
  if (!needsRedis) return;
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore',
  });
  children.push(redis);
  await waitForPort(port, 10_000);
  redisUrl = `redis://127.0.0.1:${port}`;
});

afterAll(() => {
  for (const child of children) child.kill();
  removeScratch();
});

describe('the README, run as written', () => {
  it('has the command lines this test is for', () => {
    const commands = new Set(commandLines.map((line) => line.args[0]));
    for (const command of ['train', 'predict', 'compare', 'trace', 'dataset']) {
      expect(commands, `no \`adagrad ${command}\` line in the README`).toContain(command);
    }
  });

  for (const line of commandLines) {
    it(`adagrad ${line.args.join(' ')}${line.background ? ' &' : ''}`, { timeout: 120_000 }, () => {
      const args = line.args.map((a) => a.replaceAll(README_REDIS, redisUrl));
      if (line.background) {
        children.push(cliProcess(args, { cwd: dir }));
        return;
      }
      const result = cli(args, { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });
  }
});
