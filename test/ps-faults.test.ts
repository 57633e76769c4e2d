/**
 * `train --ps` through the faults a long run meets, against real Redis servers on loopback ports:
 * connections killed under the workers (they reconnect and go on from their recorded positions), a
 * server that goes down for good (one line naming it, exit 1), slots moved between the masters of a
 * cluster while a run pushes to them (MOVED and ASK followed, the model bit for bit the one a single
 * server gives), and Ctrl-C (workers stop after pushing, the store stays consistent, --resume ends
 * the run).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile } from '../src/learn/node/model-file.js';
import { openShard } from '../src/ps/index.js';
import { removeScratch, scratch } from './data/cli/helpers.js';
import { buildCommand, startRun, type BuiltCommand } from './ps-command.js';
import { redisCli, startCluster, startRedis, type RedisServer } from './ps-servers.js';

let dir: string;
/** 400 spam messages: a few seconds of pushes with small windows. */
let data: string;
let command: BuiltCommand;
let single: RedisServer;

beforeAll(async () => {
  command = buildCommand();
  dir = scratch();
  expect(command.cli(['dataset', 'spam', '--out', join(dir, 'spam'), '--quiet']).code).toBe(0);
  data = join(dir, 'small.svm');
  const lines = readFileSync(join(dir, 'spam.train.svm'), 'utf8').split('\n');
  writeFileSync(data, lines.slice(0, 400).join('\n') + '\n');
  single = await startRedis();
}, 120_000);

afterAll(async () => {
  await single?.stop();
  command?.remove();
  removeScratch();
});

interface Info {
  updates: number;
  workers: { worker: string; position: number }[];
}

function info(url: string, name: string): Info {
  const result = command.cli(['ps', 'info', '--ps', url, '--name', name, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Info;
}

/** Examples in each of N workers' shards of the data. */
async function shardSizes(count: number): Promise<number[]> {
  const sizes: number[] = [];
  for (let index = 1; index <= count; index++) {
    let n = 0;
    const shard = await openShard(data, { index, count }, { bits: 18, skipBadLines: false });
    for await (const batch of shard.pass()) n += batch.length;
    sizes.push(n);
  }
  return sizes;
}

/** `train --ps` on the data, --json, many small windows (17 keys of 16,384 coordinates). */
function trainArgs(
  url: string,
  name: string,
  { workers = 2, passes = 2, every = 4 }: { workers?: number; passes?: number; every?: number } = {},
): string[] {
  return [
    'train',
    data,
    '--model',
    join(dir, `${name}.model`),
    '--ps',
    url,
    '--name',
    name,
    '--workers',
    String(workers),
    '--passes',
    String(passes),
    '--block-size',
    '16384',
    '--fetch-every',
    String(every),
    '--push-every',
    String(every),
    '--json',
  ];
}

const progressOf = (worker: number, examples: number) => (record: Record<string, unknown>) =>
  record.event === 'progress' && record.worker === worker && (record.examples as number) >= examples;

describe('a lost connection', () => {
  it('mid-run: each worker reconnects and goes on from its recorded position; every example counted once', async () => {
    const run = startRun(command, trainArgs(single.url, 'lost'), progressOf(2, 32));
    await run.ready;
    // Every client of the server, both workers' included, loses its connection; twice.
    redisCli(single.port, 'CLIENT', 'KILL', 'TYPE', 'normal');
    await new Promise((resolve) => setTimeout(resolve, 300));
    redisCli(single.port, 'CLIENT', 'KILL', 'TYPE', 'normal');
    const code = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(
      new RegExp(
        `worker [12]/2: lost the connection to the parameter store at 127\\.0\\.0\\.1:${single.port}: .*; reconnected, going on from its recorded position \\d+`,
      ),
    );
    const summary = JSON.parse(stdout.trim().split('\n').pop() as string) as {
      examples: number;
      workers: { reconnects: number }[];
    };
    expect(summary.workers.reduce((n, w) => n + w.reconnects, 0)).toBeGreaterThanOrEqual(1);
    // The update count moves only with a recorded position: the batches lost were learned again,
    // and none twice; the progressive validation counted each example once.
    expect(summary.examples).toBe(800);
    const state = info(single.url, 'lost');
    expect(state.updates).toBe(800);
    expect(state.workers.map((w) => w.position)).toEqual((await shardSizes(2)).map((n) => 2 * n));
  }, 120_000);

  it('for good: retries with backoff, then one line naming the server, exit 1', async () => {
    const server = await startRedis();
    try {
      const run = startRun(command, trainArgs(server.url, 'gone'), progressOf(2, 16));
      await run.ready;
      const stopped = Date.now();
      await server.kill(true);
      const code = await run.exited;
      const { stderr } = run.output();
      expect(code).toBe(1);
      const lines = stderr.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^adagrad: worker [12]/2 failed: cannot reach the parameter store at 127\\.0\\.0\\.1:${server.port} after 5 retries: .*ECONNREFUSED`,
        ),
      );
      // 100 ms doubling: the five retries wait about 3 s in all before giving up.
      expect(Date.now() - stopped).toBeGreaterThan(2500);
      expect(readdirSync(dir).filter((f) => f.startsWith('gone'))).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('a cluster resharding under a run', () => {
  it('moves the model keys between masters (ASK, then MOVED); the run ends with the model a single server gives', async () => {
    const cluster = await startCluster();
    try {
      // One worker: the same pushes in the same order, so the two stores must agree bit for bit.
      const args = (url: string, name: string) => trainArgs(url, name, { workers: 1, passes: 3, every: 4 });
      const run = startRun(command, args(cluster.url, 'moving'), progressOf(1, 16));
      await run.ready;
      const keys = [
        'adagrad:moving:meta',
        ...Array.from({ length: 17 }, (_, k) => `adagrad:moving:block:${k}`),
      ];
      const moveSlot = slotMover(cluster.nodes, keys);
      let moves = 0;
      let running = true;
      void run.exited.then(() => (running = false));
      // The meta key's slot and the blocks', one after another while the run lasts.
      for (let i = 0; running && i < keys.length; i++) {
        moveSlot(keys[i % keys.length]);
        moves++;
        await new Promise((resolve) => setTimeout(resolve, 10)); // the run's output and exit
      }
      const code = await run.exited;
      expect(code, run.output().stderr).toBe(0);
      expect(moves, 'slots moved while the run was pushing').toBeGreaterThanOrEqual(6);

      expect(command.cli(args(single.url, 'still')).code).toBe(0);
      expect(info(cluster.url, 'moving').updates).toBe(1200);
      const moved = readModelFile(join(dir, 'moving.model')).model as {
        w: Float32Array;
        examplesSeen: number;
      };
      const still = readModelFile(join(dir, 'still.model')).model as { w: Float32Array };
      expect(moved.examplesSeen).toBe(1200);
      expect(Buffer.from(moved.w.buffer)).toEqual(Buffer.from(still.w.buffer));
      expect(moved.w.some((w) => w !== 0)).toBe(true);
    } finally {
      await cluster.stop();
    }
  }, 180_000);
});

/** The masters' ids, and for each key where its slot is: moveSlot() moves it to the next master. */
function slotMover(nodes: RedisServer[], keys: string[]): (key: string) => void {
  const ids = nodes.map((n) => redisCli(n.port, 'CLUSTER', 'MYID').trim());
  const slots = new Map(keys.map((key) => [key, redisCli(nodes[0].port, 'CLUSTER', 'KEYSLOT', key).trim()]));
  const owners = new Map(
    [...slots].map(([key, slot]) => [key, ids.indexOf(ownerOf(nodes[0], Number(slot)))]),
  );
  // As redis-cli --cluster reshard moves a slot: importing, migrating, its keys one by one (a
  // client asking for a key already moved meets ASK), then handed over (MOVED).
  return (key) => {
    const slot = slots.get(key)!;
    const from = owners.get(key)!;
    const to = (from + 1) % nodes.length;
    redisCli(nodes[to].port, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', ids[from]);
    redisCli(nodes[from].port, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', ids[to]);
    for (;;) {
      const next = redisCli(nodes[from].port, 'CLUSTER', 'GETKEYSINSLOT', slot, '1').trim();
      if (next === '') break;
      redisCli(
        nodes[from].port,
        'MIGRATE',
        '127.0.0.1',
        String(nodes[to].port),
        '',
        '0',
        '5000',
        'KEYS',
        next,
      );
    }
    // The new owner first, then the old one, then the rest (as the Redis Cluster specification
    // says): no master points a client at one that would point it back.
    const others = nodes.filter((_, i) => i !== from && i !== to);
    for (const node of [nodes[to], nodes[from], ...others]) {
      redisCli(node.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[to]);
    }
    owners.set(key, to);
  };
}

/** The id of the master serving `slot`, as `node` sees the cluster. */
function ownerOf(node: RedisServer, slot: number): string {
  for (const line of redisCli(node.port, 'CLUSTER', 'NODES').split('\n')) {
    const fields = line.trim().split(' ');
    for (const range of fields.slice(8)) {
      const [low, high] = range.split('-').map(Number);
      if (slot >= low && slot <= (high ?? low)) return fields[0];
    }
  }
  throw new Error(`no master serves slot ${slot}`);
}

describe('Ctrl-C', () => {
  it('stops the workers after their pushes, keeps the store consistent, and --resume ends the run', async () => {
    const args = trainArgs(single.url, 'interrupted');
    const run = startRun(command, args, progressOf(2, 32));
    await run.ready;
    run.child.kill('SIGINT'); // the command alone, as `kill -INT`; it passes the interrupt on
    const code = await run.exited;
    const { stderr } = run.output();
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted: saved the store's model to .*interrupted\.model; .*--resume/);
    const state = info(single.url, 'interrupted');
    // Each recorded batch moved the update count and its worker's position together.
    expect(state.updates).toBe(state.workers.reduce((n, w) => n + w.position, 0));
    expect(state.updates).toBeGreaterThan(0);
    expect(state.updates).toBeLessThan(800);
    const saved = readModelFile(join(dir, 'interrupted.model')).model as { examplesSeen: number };
    expect(saved.examplesSeen).toBe(state.updates);
    // Nothing half-written beside the model.
    expect(readdirSync(dir).filter((f) => f.startsWith('interrupted'))).toEqual(['interrupted.model']);

    const resumed = command.cli([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = info(single.url, 'interrupted');
    expect(after.updates).toBe(800);
    expect(after.workers.map((w) => w.position)).toEqual((await shardSizes(2)).map((n) => 2 * n));
    expect(
      (readModelFile(join(dir, 'interrupted.model')).model as { examplesSeen: number }).examplesSeen,
    ).toBe(800);
  }, 120_000);
});
