/**
 * A model in the parameter store. Keys, all under `adagrad:NAME:` (so an ACL key pattern
 * `~adagrad:NAME:*` confines a user to one model):
 *
 *   adagrad:NAME:meta      hash: `model` (the ModelSpec as JSON), `updates` (examples pushed),
 *                          `labelKind`, and per worker I/N its `position:I/N` and `seen:I/N`
 *   adagrad:NAME:block:K   string: block K of the coordinates (see functions.ts for the layout)
 *
 * Block keys are found by number, never by scanning the keyspace; Redis Cluster spreads them over
 * its hash slots by their names. The update runs in Redis (PUSH_FUNCTION), one block per call.
 */
import type { RedisArgument } from '@redis/client';
import { connect, type Connection } from './connection.js';
import { StoreError } from './errors.js';
import { LIBRARY, LIBRARY_CODE, PROGRESS_FUNCTION, PUSH_FUNCTION } from './functions.js';
import { blockCountOf, coordinatesOf, firstDifference, type ModelSpec, sectionsOf } from './model-spec.js';
import { parseStoreUrl } from './url.js';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface WorkerRecord {
  worker: string;
  position: number;
  /** When it last pushed (ms since the epoch). */
  seen: number;
}

/** What `train --ps` records about its run: a resumed unfinished run keeps the workers' positions. */
export interface RunRecord {
  data: string;
  workers: number;
  passes: number;
  finished: boolean;
}

export interface StoreInfo {
  spec: ModelSpec;
  updates: number;
  labelKind: string | undefined;
  workers: WorkerRecord[];
  /** Blocks written so far, of blockCountOf(spec), and their bytes. */
  blocks: number;
  bytes: number;
}

export function checkModelName(name: string): string {
  if (!NAME.test(name)) {
    throw new StoreError(`--name: '${name}' is not a model name (1-64 letters, digits, '_', '-' or '.')`);
  }
  return name;
}

export class ParameterStore {
  readonly server: string;
  readonly cluster: boolean;
  private readonly meta: string;
  private readonly blockPrefix: string;

  private constructor(
    private readonly connection: Connection,
    readonly name: string,
  ) {
    this.server = connection.server;
    this.cluster = connection.cluster;
    this.meta = `adagrad:${name}:meta`;
    this.blockPrefix = `adagrad:${name}:block:`;
  }

  /** Connects (single server or cluster) and makes sure this code's functions are loaded. */
  static async open(
    url: string,
    name: string,
    env: Readonly<Record<string, string | undefined>> = {},
  ): Promise<ParameterStore> {
    const address = parseStoreUrl(url, env);
    checkModelName(name);
    const connection = await connect(address);
    const store = new ParameterStore(connection, name);
    try {
      await store.loadFunctions();
    } catch (error) {
      await connection.close();
      throw error;
    }
    return store;
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  blockKey(block: number): string {
    return this.blockPrefix + block;
  }

  /** FUNCTION LOAD on each master unless the library is there (another worker loaded it). */
  private async loadFunctions(): Promise<void> {
    const listed = (await this.connection.onEveryMaster([
      'FUNCTION',
      'LIST',
      'LIBRARYNAME',
      LIBRARY,
    ])) as unknown[][];
    if (listed.every((libraries) => Array.isArray(libraries) && libraries.length > 0)) return;
    try {
      await this.connection.onEveryMaster(['FUNCTION', 'LOAD', LIBRARY_CODE]);
    } catch (error) {
      if (!/already exists/.test((error as Error).message)) throw error;
    }
  }

  /** The stored model's spec, or undefined when there is no model under this name. */
  async spec(): Promise<ModelSpec | undefined> {
    const json = (await this.connection.send(this.meta, ['HGET', this.meta, 'model'])) as string | null;
    return json === null ? undefined : (JSON.parse(json) as ModelSpec);
  }

  async requireSpec(): Promise<ModelSpec> {
    const spec = await this.spec();
    if (spec === undefined) {
      throw new StoreError(
        `no model '${this.name}' in the parameter store at ${this.server} (create it with adagrad ps init)`,
      );
    }
    return spec;
  }

  /**
   * Creates the model, or finds it there with the same spec ('exists'). A model of that name with
   * other options is an error, and the store is left as it was.
   */
  async create(spec: ModelSpec): Promise<'created' | 'exists'> {
    const created = await this.connection.send(this.meta, [
      'HSETNX',
      this.meta,
      'model',
      JSON.stringify(spec),
    ]);
    if (Number(created) === 1) return 'created';
    const stored = await this.requireSpec();
    const difference = firstDifference(stored, spec);
    if (difference !== undefined) {
      throw new StoreError(
        `model '${this.name}' already exists in the parameter store at ${this.server} with ${difference}; use another --name or drop it (adagrad ps drop)`,
      );
    }
    return 'exists';
  }

  async info(): Promise<StoreInfo> {
    const spec = await this.requireSpec();
    const fields = (await this.connection.send(this.meta, ['HGETALL', this.meta])) as Record<string, string>;
    const workers: WorkerRecord[] = [];
    for (const [field, value] of Object.entries(fields)) {
      if (!field.startsWith('position:')) continue; // fields are per model: no keyspace scan
      const worker = field.slice('position:'.length);
      workers.push({ worker, position: Number(value), seen: Number(fields[`seen:${worker}`] ?? 0) });
    }
    workers.sort((a, b) => a.worker.localeCompare(b.worker, 'en', { numeric: true }));
    const lengths = await Promise.all(
      Array.from({ length: blockCountOf(spec) }, (_, k) =>
        this.connection.send(this.blockKey(k), ['STRLEN', this.blockKey(k)]),
      ),
    );
    return {
      spec,
      updates: Number(fields.updates ?? 0),
      labelKind: fields.labelKind,
      workers,
      blocks: lengths.filter((n) => Number(n) > 0).length,
      bytes: lengths.reduce<number>((sum, n) => sum + Number(n), 0),
    };
  }

  /** Deletes the model's keys (found by number, not by scanning); returns how many existed. */
  async drop(): Promise<number> {
    const spec = await this.spec();
    const keys = [this.meta];
    if (spec !== undefined) for (let k = 0; k < blockCountOf(spec); k++) keys.push(this.blockKey(k));
    const deleted = await Promise.all(keys.map((key) => this.connection.send(key, ['UNLINK', key])));
    return deleted.reduce<number>((sum, n) => sum + Number(n), 0);
  }

  /** A worker's position in its shard (examples consumed, all passes), 0 if it has none. */
  async position(worker: string): Promise<number> {
    const value = (await this.connection.send(this.meta, ['HGET', this.meta, `position:${worker}`])) as
      string | null;
    return value === null ? 0 : Number(value);
  }

  /** The run `train --ps` last started on this model (to tell a resumed run from a new one). */
  async run(): Promise<RunRecord | undefined> {
    const json = (await this.connection.send(this.meta, ['HGET', this.meta, 'run'])) as string | null;
    return json === null ? undefined : (JSON.parse(json) as RunRecord);
  }

  async setRun(record: RunRecord): Promise<void> {
    await this.connection.send(this.meta, ['HSET', this.meta, 'run', JSON.stringify(record)]);
  }

  /** Forgets every worker's position (a new run over the data). */
  async resetPositions(): Promise<void> {
    const fields = (await this.connection.send(this.meta, ['HKEYS', this.meta])) as string[];
    const stale = fields.filter((f) => f.startsWith('position:') || f.startsWith('seen:'));
    if (stale.length > 0) await this.connection.send(this.meta, ['HDEL', this.meta, ...stale]);
  }

  /** After a push: the update count and the worker's position move together (one function call). */
  async recordProgress(
    worker: string,
    examples: number,
    position: number,
    labelKind: string | undefined,
  ): Promise<void> {
    await this.connection.send(this.meta, [
      'FCALL',
      PROGRESS_FUNCTION,
      '1',
      this.meta,
      worker,
      String(examples),
      String(position),
      String(Date.now()),
      labelKind ?? '',
    ]);
  }

  /**
   * Reads coordinates [from, to] of block `block`, weights and optimizer state, into `sections`
   * (indexed by coordinate: w, then G or z and n). A block not written yet reads as its start.
   */
  async fetchSpan(
    spec: ModelSpec,
    block: number,
    from: number,
    to: number,
    sections: Float32Array[],
  ): Promise<void> {
    const key = this.blockKey(block);
    const width = sections.length;
    const bytes = await this.connection.sendForBytes(key, [
      'GETRANGE',
      key,
      String(4 * width * from),
      String(4 * width * (to + 1) - 1),
    ]);
    const start = block * spec.blockSize + from;
    const count = to - from + 1;
    const got = bytes === null ? 0 : Math.min(count, Math.floor(bytes.length / (4 * width)));
    if (got > 0) {
      // Copied to an aligned buffer (the reply's bytes may sit at any offset), then de-interleaved.
      const records = new Float32Array(got * width);
      new Uint8Array(records.buffer).set((bytes as Buffer).subarray(0, 4 * got * width));
      for (let s = 0; s < width; s++) {
        const section = sections[s];
        for (let i = 0; i < got; i++) section[start + i] = records[width * i + s];
      }
    }
    if (got < count) {
      for (let s = 0; s < width; s++) {
        const initial = s === 1 && spec.optimizer === 'adagrad' ? spec.initialAccumulatorValue : 0;
        sections[s].fill(Math.fround(initial), start + got, start + count);
      }
    }
  }

  /**
   * Pushes one block's gradient: `offsets` ascending and unique within the block, `grads` the sum of
   * each coordinate's gradients since the last push and `squares` the sum of their squares. Applied
   * atomically inside Redis by the optimizer of the spec.
   */
  pushBlock(
    spec: ModelSpec,
    block: number,
    offsets: Uint16Array,
    grads: Float32Array,
    squares: Float32Array,
  ): Promise<unknown> {
    const key = this.blockKey(block);
    const bytes = (a: Uint16Array | Float32Array): Buffer =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    return this.connection.send(key, [
      'FCALL',
      PUSH_FUNCTION,
      '1',
      key,
      spec.optimizer,
      String(spec.blockSize),
      bytes(offsets),
      bytes(grads),
      bytes(squares),
      ...optimizerArguments(spec),
      ...(spec.optimizer === 'ftrl' ? [String(biasOffsetIn(spec, block))] : []),
    ]);
  }

  /** Every block, whole: weights and optimizer state per coordinate (sections of sectionsOf(spec)). */
  async readAll(spec: ModelSpec): Promise<Float32Array[]> {
    const n = coordinatesOf(spec);
    const sections = Array.from({ length: sectionsOf(spec) }, () => new Float32Array(n));
    const B = spec.blockSize;
    await Promise.all(
      Array.from({ length: blockCountOf(spec) }, (_, k) =>
        this.fetchSpan(spec, k, 0, Math.min(B, n - k * B) - 1, sections),
      ),
    );
    return sections;
  }
}

/** Where the bias (the last coordinate) sits in block `block`, or -1: FTRL does not regularize it. */
function biasOffsetIn(spec: ModelSpec, block: number): number {
  const bias = coordinatesOf(spec) - 1;
  return Math.floor(bias / spec.blockSize) === block ? bias % spec.blockSize : -1;
}

const argumentsCache = new WeakMap<ModelSpec, RedisArgument[]>();

/** The optimizer's constants as the Lua function reads them (float32 where the learner rounds). */
function optimizerArguments(spec: ModelSpec): RedisArgument[] {
  let args = argumentsCache.get(spec);
  if (args === undefined) {
    args =
      spec.optimizer === 'adagrad'
        ? [
            String(Math.fround(spec.lr)),
            String(Math.fround(spec.eps)),
            spec.preset === 'pytorch' || spec.preset === 'paper' ? '0' : '1',
            spec.preset === 'optax' ? '1' : '0',
            String(spec.initialAccumulatorValue),
          ]
        : [String(spec.lr), String(spec.beta), String(spec.l1), String(spec.l2)];
    argumentsCache.set(spec, args);
  }
  return args;
}
