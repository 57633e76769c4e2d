/**
 * The parameter-store commands end to end, spawned as a user runs them against real Redis servers
 * (Debian's redis-server on loopback ports): accuracy of 2 and 4 workers against local training on
 * the spam export, kill -9 of a worker and of the whole run (counting the updates), a server
 * restarted with AOF between two runs, security, and the one-line errors that leave the store as it
 * was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile } from '../src/learn/node/model-file.js';
import { openShard } from '../src/ps/index.js';
import { removeScratch, scratch } from './data/cli/helpers.js';
import { buildCommand, childrenOf, startRun, type BuiltCommand } from './ps-command.js';
import {
  freePort,
  redisCli,
  startCluster,
  startRedis,
  type RedisCluster,
  type RedisServer,
} from './ps-servers.js';

let dir: string;
let train: string;
let test: string;
/** The first 1,000 training messages: long enough to kill a run in its middle. */
let small: string;
let single: RedisServer;
let cluster: RedisCluster;
let command: BuiltCommand;
const cli: BuiltCommand['cli'] = (...args) => command.cli(...args);

beforeAll(async () => {
  command = buildCommand();
  dir = scratch();
  expect(cli(['dataset', 'spam', '--out', join(dir, 'spam'), '--quiet']).code).toBe(0);
  train = join(dir, 'spam.train.svm');
  test = join(dir, 'spam.test.svm');
  small = join(dir, 'small.svm');
  writeFileSync(small, readFileSync(train, 'utf8').split('\n').slice(0, 1000).join('\n') + '\n');
  single = await startRedis();
  cluster = await startCluster();
}, 180_000);

afterAll(async () => {
  await single?.stop();
  await cluster?.stop();
  command?.remove();
  removeScratch();
});

function testAccuracy(model: string): number {
  const result = cli(['predict', test, '--model', model, '--metrics', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout.trim().split('\n').pop() as string) as { accuracy: number }).accuracy;
}

function info(
  url: string,
  name: string,
): { updates: number; workers: { worker: string; position: number }[] } {
  const result = cli(['ps', 'info', '--ps', url, '--name', name, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { updates: number; workers: { worker: string; position: number }[] };
}

function expectOneLineError(result: { code: number | null; stderr: string }, pattern: RegExp): string {
  expect(result.code).toBe(1);
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^adagrad: /);
  expect(lines[0]).toMatch(pattern);
  return lines[0];
}

describe('train --ps against local training on the spam export, 3 passes', () => {
  let local: number;
  beforeAll(() => {
    const model = join(dir, 'local.model');
    expect(
      cli(['train', train, '--model', model, '--passes', '3', '--holdout-fraction', '0', '--quiet']).code,
    ).toBe(0);
    local = testAccuracy(model);
    expect(local).toBeGreaterThan(0.99);
  });

  it('2 workers on a 3-master cluster: test accuracy within 0.3 pp, every example counted once', () => {
    const model = join(dir, 'cluster2.model');
    const result = cli([
      'train',
      train,
      '--model',
      model,
      '--passes',
      '3',
      '--ps',
      cluster.url,
      '--workers',
      '2',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('(Redis Cluster)');
    expect(result.stdout).toMatch(/^1\/2\s+\d+/m);
    expect(result.stdout).toMatch(/^total\s+14511\s/m);
    expect(Math.abs(testAccuracy(model) - local)).toBeLessThanOrEqual(0.003);
    expect(info(cluster.url, 'cluster2').updates).toBe(14511);
  }, 180_000);

  it('4 workers on one server: test accuracy within 0.3 pp; --json has per-worker and total records', () => {
    const model = join(dir, 'single4.model');
    const result = cli([
      'train',
      train,
      '--model',
      model,
      '--passes',
      '3',
      '--ps',
      single.url,
      '--workers',
      '4',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = records.find((r) => r.event === 'summary') as { examples: number; workers: unknown[] };
    expect(summary.examples).toBe(14511);
    expect(summary.workers).toHaveLength(4);
    expect(records.some((r) => r.event === 'progress' && r.worker === 4)).toBe(true);
    expect(Math.abs(testAccuracy(model) - local)).toBeLessThanOrEqual(0.003);
  }, 180_000);
});

/** Examples in each of N workers' shards of `path`. */
async function shardSizes(path: string, count: number): Promise<number[]> {
  const sizes: number[] = [];
  for (let index = 1; index <= count; index++) {
    const shard = await openShard(path, { index, count }, { bits: 18, skipBadLines: false });
    let n = 0;
    for await (const batch of shard.pass()) n += batch.length;
    sizes.push(n);
  }
  expect(sizes.reduce((a, b) => a + b)).toBe(1000);
  return sizes;
}

describe('restartable workers', () => {
  const run = (name: string, extra: string[] = []): string[] => [
    'train',
    small,
    '--model',
    join(dir, `${name}.model`),
    '--ps',
    single.url,
    '--name',
    name,
    '--workers',
    '2',
    // 17 keys of 16,384 coordinates: many short pushes, so the run is long in pushes but short in time.
    '--block-size',
    '16384',
    '--fetch-every',
    '16',
    '--push-every',
    '16',
    '--json',
    ...extra,
  ];

  it('kill -9 of a worker: it is restarted from its position, and every example is counted once', async () => {
    const r = startRun(
      command,
      run('killworker'),
      (rec) => rec.event === 'progress' && rec.worker === 2 && (rec.examples as number) >= 64,
    );
    await r.ready;
    const victim = childrenOf(r.child.pid as number).find((c) => c.args.includes('--worker 2/2'));
    expect(victim).toBeDefined();
    process.kill(victim!.pid, 'SIGKILL');
    expect(await r.exited).toBe(0);
    const { stdout, stderr } = r.output();
    expect(stderr).toMatch(/worker 2\/2 died \(SIGKILL\); restarting it/);
    const summary = JSON.parse(stdout.trim().split('\n').pop() as string) as {
      workers: { restarts: number }[];
    };
    expect(summary.workers[1].restarts).toBe(1);
    // The killed worker's pushes before its last record are kept; the batch in flight is redone.
    const state = info(single.url, 'killworker');
    expect(state.updates).toBe(1000);
    expect(state.workers.map((w) => w.position)).toEqual(await shardSizes(small, 2));
  }, 180_000);

  it('kill -9 of the whole run, then --resume: the workers continue from their positions', async () => {
    const r = startRun(
      command,
      run('killall'),
      (rec) => rec.event === 'progress' && (rec.examples as number) >= 64,
    );
    await r.ready;
    const workers = childrenOf(r.child.pid as number);
    r.child.kill('SIGKILL');
    for (const w of workers) process.kill(w.pid, 'SIGKILL');
    await r.exited;
    const before = info(single.url, 'killall').updates;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(1000);
    const resumed = cli(run('killall', ['--resume']));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(info(single.url, 'killall').updates).toBe(1000);
    const model = readModelFile(join(dir, 'killall.model'));
    expect(model.model.examplesSeen).toBe(1000);
  }, 180_000);
});

describe('a server restarted with AOF persistence', () => {
  it('keeps the model between two runs', async () => {
    const server = await startRedis({ aof: true });
    try {
      const first = join(dir, 'aof1.model');
      const args = [
        'train',
        small,
        '--model',
        first,
        '--ps',
        server.url,
        '--name',
        'aof',
        '--block-size',
        '16384',
        '--quiet',
      ];
      expect(cli(args).code).toBe(0);
      await server.kill(true);
      await server.restart();
      const again = join(dir, 'aof-export.model');
      expect(
        cli(['ps', 'export', '--ps', server.url, '--name', 'aof', '--model', again, '--quiet']).code,
      ).toBe(0);
      const a = readModelFile(first).model;
      const b = readModelFile(again).model;
      expect(b.examplesSeen).toBe(1000);
      expect(Buffer.from((b as { w: Float32Array }).w.buffer)).toEqual(
        Buffer.from((a as { w: Float32Array }).w.buffer),
      );
      const resumed = cli([...args.slice(0, 3), join(dir, 'aof2.model'), ...args.slice(4), '--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(info(server.url, 'aof').updates).toBe(2000);
    } finally {
      await server.stop();
    }
  }, 180_000);
});

describe('the model file is the one local training writes', () => {
  it('FTRL with l1: its nonzero weights by default; with --keep-state z and n too, and local --resume continues it', () => {
    const trained = join(dir, 'ftrl-ps.model');
    const run = cli([
      'train',
      small,
      '--model',
      trained,
      '--ps',
      single.url,
      '--name',
      'ftrlexp',
      '--optimizer',
      'ftrl',
      '--l1',
      '1',
      '--quiet',
    ]);
    expect(run.code, run.stderr).toBe(0);
    // As `adagrad train --l1` saves it: weights only, so --resume says so before training.
    const again = cli(['train', small, '--model', trained, '--resume', '--quiet']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/holds weights only/);

    const plain = join(dir, 'ftrl-plain.model');
    const withState = join(dir, 'ftrl-state.model');
    const exported = cli(['ps', 'export', '--ps', single.url, '--name', 'ftrlexp', '--model', plain]);
    expect(exported.stdout).toMatch(/\(weights only, /);
    const kept = cli([
      'ps',
      'export',
      '--ps',
      single.url,
      '--name',
      'ftrlexp',
      '--model',
      withState,
      '--keep-state',
    ]);
    expect(kept.stdout).toMatch(/\(weights and optimizer state, /);
    const weights = (path: string) => Array.from((readModelFile(path).model as { w: Float32Array }).w);
    expect(weights(plain)).toEqual(weights(trained));
    expect(weights(withState)).toEqual(weights(trained));
    expect(weights(trained).filter((w) => w !== 0).length).toBeGreaterThan(10);
    expect((readModelFile(withState).model as { examplesSeen: number }).examplesSeen).toBe(1000);

    const resumed = cli(['train', small, '--model', withState, '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout.trim().split('\n').pop() as string) as { examples: number };
    expect(summary.examples).toBe(1000);
    expect((readModelFile(withState).model as { examplesSeen: number }).examplesSeen).toBe(2000);
  }, 120_000);
});

describe('security and one-line errors that change nothing', () => {
  let secured: RedisServer;
  beforeAll(async () => {
    secured = await startRedis({
      password: 'admin-secret',
      acl: ['trainer on >trainer-secret ~adagrad:acl:* +@all'],
    });
  }, 30_000);
  afterAll(async () => {
    await secured?.stop();
  });
  const at = (s: RedisServer): string => `127.0.0.1:${s.port}`;

  it('takes the user and password from the URL or ADAGRAD_PS_PASSWORD, and never prints them', () => {
    const viaUrl = cli([
      'ps',
      'init',
      '--ps',
      `redis://trainer:trainer-secret@${at(secured)}`,
      '--name',
      'acl',
    ]);
    expect(viaUrl.code, viaUrl.stderr).toBe(0);
    process.env.ADAGRAD_PS_PASSWORD = 'trainer-secret';
    try {
      const model = join(dir, 'acl.model');
      const trained = cli([
        'train',
        small,
        '--model',
        model,
        '--ps',
        `redis://trainer@${at(secured)}`,
        '--name',
        'acl',
        '--resume',
      ]);
      expect(trained.code, trained.stderr).toBe(0);
      expect(trained.stdout + trained.stderr).not.toContain('secret');
      // The ACL confines the user to adagrad:acl:*: another model's keys are refused, in one line.
      const outside = cli(['ps', 'init', '--ps', `redis://trainer@${at(secured)}`, '--name', 'other']);
      expect(expectOneLineError(outside, /denied|NOPERM/)).not.toContain('secret');
    } finally {
      delete process.env.ADAGRAD_PS_PASSWORD;
    }
  }, 180_000);

  it('a wrong password: one line naming the server, exit 1, no password shown', () => {
    const result = cli([
      'ps',
      'init',
      '--ps',
      `redis://trainer:wrong-secret@${at(secured)}`,
      '--name',
      'acl2',
    ]);
    const line = expectOneLineError(result, /refused the login/);
    expect(line).toContain(at(secured));
    expect(line).not.toContain('wrong-secret');
    expect(
      redisCli(
        secured.port,
        '--pass',
        'admin-secret',
        '--no-auth-warning',
        'EXISTS',
        'adagrad:acl2:meta',
      ).trim(),
    ).toBe('0');
  });

  it('bad URLs: one line naming the problem', () => {
    expectOneLineError(
      cli(['ps', 'info', '--ps', 'http://127.0.0.1:6379', '--name', 'm']),
      /not a redis:\/\/ URL/,
    );
    expectOneLineError(cli(['ps', 'info', '--ps', 'redis:/nohost', '--name', 'm']), /--ps/);
    const withPassword = cli(['ps', 'info', '--ps', 'redis://u:hunter2@127.0.0.1:6379/3', '--name', 'm']);
    expect(expectOneLineError(withPassword, /path or query/)).not.toContain('hunter2');
  });

  it('a server that is down: retries, then one line naming it', async () => {
    const port = await freePort();
    const result = cli(['ps', 'info', '--ps', `redis://127.0.0.1:${port}`, '--name', 'm']);
    expectOneLineError(
      result,
      new RegExp(`cannot reach the parameter store at 127\\.0\\.0\\.1:${port} after 5 retries`),
    );
  }, 30_000);

  it('a model name that exists with other options: one line, and the stored model is unchanged', () => {
    expect(cli(['ps', 'init', '--ps', single.url, '--name', 'taken', '--bits', '16', '--quiet']).code).toBe(
      0,
    );
    const meta = redisCli(single.port, 'HGETALL', 'adagrad:taken:meta');
    const conflict = cli([
      'train',
      small,
      '--model',
      join(dir, 'taken.model'),
      '--ps',
      single.url,
      '--name',
      'taken',
      '--bits',
      '12',
    ]);
    expectOneLineError(conflict, /model 'taken' already exists .* with bits 16 \(asked: 12\)/);
    const same = cli([
      'train',
      small,
      '--model',
      join(dir, 'taken.model'),
      '--ps',
      single.url,
      '--name',
      'taken',
      '--bits',
      '16',
    ]);
    expectOneLineError(same, /already exists .*--resume continues it/);
    expect(redisCli(single.port, 'HGETALL', 'adagrad:taken:meta')).toBe(meta);
    expect(redisCli(single.port, 'EXISTS', 'adagrad:taken:block:0').trim()).toBe('0');
  });
});
