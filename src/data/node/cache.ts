/**
 * A binary cache for several passes over a text data set, as VW's `--cache` but never silently
 * stale. The first pass parses the source and writes PATH.cache beside it (atomically); later passes
 * read the cache, several times faster than parsing. The cache header records what it was made
 * from: the source's size and modification time and a hash of the parse options. A cache whose
 * record disagrees, or that is not a cache of this version (magic, version, byte order, truncated),
 * is rebuilt, and `onMessage` is told why; it is never used.
 *
 * Layout, little-endian:
 *   header (64 bytes): magic "ADAGRADC", version u32, byte-order mark u32 0x01020304,
 *     options hash u32, reserved u32, source size f64, source mtime (ms) f64,
 *     records length f64, trailer length f64, reserved 8 bytes
 *   records: label f64, weight f32, line u32, nonzeros u32, tag length u32 (0xffffffff: none),
 *     tag UTF-8 padded to 4 bytes, indices u32[nonzeros], values f32[nonzeros]
 *   trailer: JSON {stats, featureNames}
 * The header is written last, so a file that ends early or was never finished fails the length check.
 * Records are 4-byte aligned, so a cached pass hands out typed-array views straight into its 1 MiB
 * read buffers (no copy; an example kept alive keeps its buffer alive).
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { rmSync, renameSync } from 'node:fs';
import type { Example, ReadStats } from '../example.js';
import { emptyStats } from '../example.js';
import { DataError } from '../errors.js';
import type { Format } from '../format.js';
import { murmur3 } from '../murmur3.js';
import { temporaryPathFor } from './atomic.js';
import { type ExampleStream, type ReadOptions, readExamples, resolveFormat } from './read.js';
import { sourceName } from './source.js';

export const CACHE_MAGIC = 'ADAGRADC';
export const CACHE_VERSION = 1;
const HEADER_BYTES = 64;
const BYTE_ORDER_MARK = 0x01020304;
const NO_TAG = 0xffffffff;
const READ_BYTES = 1 << 20;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Options of readExamples, plus the cache's own. `onBadLine` is called on the pass that parses only. */
export interface CacheOptions extends ReadOptions {
  /** Where the cache lives; default `${path}.cache`. Required for `-` (stdin). */
  cachePath?: string;
  /** Told when a cache is created, rebuilt (and why) or used. */
  onMessage?: (message: string) => void;
}

export interface CachedExampleStream extends ExampleStream {
  readonly cachePath: string;
}

/** What a cache was made from; a cache is used only when all of it matches. */
export interface CacheKey {
  optionsHash: number;
  sourceSize: number;
  sourceMtimeMs: number;
}

/**
 * The hash of everything that changes what the parser yields: format, bits, label column and
 * whether bad lines are skipped. (Callbacks and chunk sizes do not change the examples.)
 */
export function parseOptionsHash(format: Format, options: ReadOptions): number {
  const canonical = JSON.stringify([
    CACHE_VERSION,
    format,
    options.bits ?? null,
    options.labelColumn ?? null,
    options.skipBadLines ?? false,
  ]);
  return murmur3(canonical, 0);
}

export function cachedExamples(path: string, options: CacheOptions = {}): CachedExampleStream {
  if (!LITTLE_ENDIAN) {
    throw new DataError('the binary cache is little-endian only; read the text data without a cache');
  }
  if (path === '-' && options.cachePath === undefined) {
    throw new DataError('standard input needs an explicit cache file for several passes (--cache-file)', {
      file: sourceName(path),
    });
  }
  const cachePath = options.cachePath ?? `${path}.cache`;
  const format = resolveFormat(path, options.format);
  const optionsHash = parseOptionsHash(format, options);
  const tell = options.onMessage ?? (() => {});
  let stats: ReadStats = emptyStats();
  let featureNames: string[] | undefined;
  let builtFromStdin = false;
  let stdinStarted = false;

  async function* build(reason: string): AsyncGenerator<Example[]> {
    tell(reason);
    const key: CacheKey = { optionsHash, sourceSize: -1, sourceMtimeMs: -1 };
    if (path !== '-') {
      const info = await statSource(path);
      key.sourceSize = info.size;
      key.sourceMtimeMs = info.mtimeMs;
    }
    const source = readExamples(path, { ...options, format });
    const writer = await CacheWriter.create(cachePath, key);
    let finished = false;
    try {
      for await (const batch of source.batches()) {
        stats = source.stats;
        for (const example of batch) {
          if (writer.fits(example)) writer.appendSync(example);
          else await writer.add(example);
        }
        yield batch;
      }
      stats = source.stats;
      featureNames = source.featureNames;
      await writer.commit(source.stats, featureNames);
      finished = true;
      builtFromStdin = path === '-';
    } finally {
      if (!finished) await writer.abort();
    }
  }

  return {
    source: sourceName(path),
    format,
    cachePath,
    get stats() {
      return stats;
    },
    get featureNames() {
      return featureNames;
    },
    async *[Symbol.asyncIterator]() {
      for await (const batch of this.batches()) {
        for (let i = 0; i < batch.length; i++) yield batch[i];
      }
    },
    async *batches() {
      stats = emptyStats();
      let expected: CacheKey | undefined;
      if (path !== '-') {
        const info = await statSource(path);
        expected = { optionsHash, sourceSize: info.size, sourceMtimeMs: info.mtimeMs };
      } else if (!builtFromStdin) {
        // A cache of earlier standard input cannot be checked against anything: always rebuild.
        // And standard input cannot be rewound: a first pass that stopped early cannot be redone.
        if (stdinStarted) {
          throw new DataError(
            'standard input was read only partly on the first pass (it stopped early), so it cannot be cached or read again',
            { file: sourceName(path) },
          );
        }
        stdinStarted = true;
        yield* build(`creating cache ${cachePath} from standard input`);
        return;
      }
      const reader = await CacheReader.open(cachePath);
      const problem =
        reader.problem ?? (expected === undefined ? undefined : mismatch(reader.key!, expected));
      if (problem !== undefined) {
        await reader.close();
        yield* build(
          problem === 'missing'
            ? `creating cache ${cachePath}`
            : `cache ${cachePath} ${problem}; rebuilding it`,
        );
        return;
      }
      tell(`reading cache ${cachePath}`);
      stats = { ...reader.trailer!.stats, examples: 0 };
      featureNames = reader.trailer!.featureNames;
      try {
        for (;;) {
          const batch = await reader.nextBatch();
          if (batch === undefined) break;
          stats.examples += batch.length;
          yield batch;
        }
      } finally {
        await reader.close();
      }
    },
  };
}

async function statSource(path: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const info = await stat(path);
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new DataError('no such file', { file: path });
    throw error;
  }
}

function mismatch(found: CacheKey, expected: CacheKey): string | undefined {
  if (found.optionsHash !== expected.optionsHash) {
    return 'was made with other parse options (format, bits, label column or skip-bad-lines)';
  }
  if (found.sourceSize !== expected.sourceSize) {
    return `is stale: the source is ${expected.sourceSize} bytes, the cache was made from ${found.sourceSize}`;
  }
  if (found.sourceMtimeMs !== expected.sourceMtimeMs) {
    return `is stale: the source was modified (${new Date(expected.sourceMtimeMs).toISOString()}) after the cache was made from it (${new Date(found.sourceMtimeMs).toISOString()})`;
  }
  return undefined;
}

interface Trailer {
  stats: ReadStats;
  featureNames?: string[];
}

/** Buffered writer of the layout above, into a temporary file renamed on commit. */
class CacheWriter {
  private buffer = new Uint8Array(1 << 20);
  private view = new DataView(this.buffer.buffer);
  private used = 0;
  private position = HEADER_BYTES;
  private readonly encoder = new TextEncoder();

  private constructor(
    private readonly path: string,
    private readonly temporary: string,
    private readonly file: FileHandle,
    private readonly key: CacheKey,
  ) {}

  static async create(path: string, key: CacheKey): Promise<CacheWriter> {
    const temporary = temporaryPathFor(path);
    const file = await open(temporary, 'w');
    return new CacheWriter(path, temporary, file, key);
  }

  /** Appends one record; awaits only when the buffer must be written out first (once per MiB). */
  async add(example: Example): Promise<void> {
    const tag = example.tag === undefined ? undefined : this.encoder.encode(example.tag);
    const size = 24 + (tag === undefined ? 0 : (tag.length + 3) & ~3) + 8 * example.indices.length;
    if (this.used + size > this.buffer.length) {
      await this.flush();
      if (size > this.buffer.length) this.grow(size);
    }
    this.append(example, tag);
  }

  /** True when `add` would have to wait (the caller can skip the await otherwise). */
  fits(example: Example): boolean {
    // A tag takes at most 3 UTF-8 bytes per UTF-16 unit, plus padding.
    const tagBound = example.tag === undefined ? 0 : example.tag.length * 3 + 4;
    return this.used + 24 + tagBound + 8 * example.indices.length <= this.buffer.length;
  }

  /** Appends one record that `fits`. */
  appendSync(example: Example): void {
    this.append(example, example.tag === undefined ? undefined : this.encoder.encode(example.tag));
  }

  private append(example: Example, tag: Uint8Array | undefined): void {
    const tagBytes = tag === undefined ? 0 : (tag.length + 3) & ~3;
    const nonzeros = example.indices.length;
    const view = this.view;
    let p = this.used;
    view.setFloat64(p, example.label, true);
    view.setFloat32(p + 8, example.weight, true);
    view.setUint32(p + 12, example.line, true);
    view.setUint32(p + 16, nonzeros, true);
    view.setUint32(p + 20, tag === undefined ? NO_TAG : tag.length, true);
    p += 24;
    if (tag !== undefined) {
      this.buffer.set(tag, p);
      this.buffer.fill(0, p + tag.length, p + tagBytes);
      p += tagBytes;
    }
    this.buffer.set(new Uint8Array(example.indices.buffer, example.indices.byteOffset, 4 * nonzeros), p);
    p += 4 * nonzeros;
    this.buffer.set(new Uint8Array(example.values.buffer, example.values.byteOffset, 4 * nonzeros), p);
    this.used = p + 4 * nonzeros;
  }

  async commit(stats: ReadStats, featureNames: string[] | undefined): Promise<void> {
    await this.flush();
    const recordsLength = this.position - HEADER_BYTES;
    const trailer: Trailer = { stats: { ...stats } };
    if (featureNames !== undefined) trailer.featureNames = featureNames;
    const trailerBytes = this.encoder.encode(JSON.stringify(trailer));
    await this.file.write(trailerBytes, 0, trailerBytes.length, this.position);
    const header = new Uint8Array(HEADER_BYTES);
    const view = new DataView(header.buffer);
    header.set(this.encoder.encode(CACHE_MAGIC), 0);
    view.setUint32(8, CACHE_VERSION, true);
    view.setUint32(12, BYTE_ORDER_MARK, true);
    view.setUint32(16, this.key.optionsHash, true);
    view.setFloat64(24, this.key.sourceSize, true);
    view.setFloat64(32, this.key.sourceMtimeMs, true);
    view.setFloat64(40, recordsLength, true);
    view.setFloat64(48, trailerBytes.length, true);
    await this.file.write(header, 0, HEADER_BYTES, 0);
    await this.file.close();
    renameSync(this.temporary, this.path);
  }

  async abort(): Promise<void> {
    await this.file.close().catch(() => undefined);
    rmSync(this.temporary, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.file.write(this.buffer, 0, this.used, this.position);
    this.position += this.used;
    this.used = 0;
  }

  private grow(size: number): void {
    this.buffer = new Uint8Array(size);
    this.view = new DataView(this.buffer.buffer);
  }
}

/** Reader of the layout above; `problem` says why the file cannot be used ('missing' when absent). */
class CacheReader {
  problem: string | undefined;
  key: CacheKey | undefined;
  trailer: Trailer | undefined;
  private buffer = new Uint8Array(0);
  private view = new DataView(this.buffer.buffer);
  private start = 0;
  private limit = 0;
  private filePosition = HEADER_BYTES;
  private recordsEnd = HEADER_BYTES;
  private readonly decoder = new TextDecoder();

  private constructor(private readonly file: FileHandle | undefined) {}

  static async open(path: string): Promise<CacheReader> {
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      const reader = new CacheReader(undefined);
      reader.problem =
        (error as { code?: string }).code === 'ENOENT'
          ? 'missing'
          : `cannot be read (${(error as Error).message})`;
      return reader;
    }
    const reader = new CacheReader(file);
    await reader.readHeader();
    return reader;
  }

  private async readHeader(): Promise<void> {
    const file = this.file!;
    const size = (await file.stat()).size;
    const header = new Uint8Array(HEADER_BYTES);
    const { bytesRead } = await file.read(header, 0, HEADER_BYTES, 0);
    const view = new DataView(header.buffer);
    if (bytesRead < HEADER_BYTES || this.decoder.decode(header.subarray(0, 8)) !== CACHE_MAGIC) {
      this.problem = 'is not an adagrad cache (bad magic)';
      return;
    }
    const version = view.getUint32(8, true);
    if (version !== CACHE_VERSION) {
      this.problem = `has format version ${version}, this reader writes version ${CACHE_VERSION}`;
      return;
    }
    if (view.getUint32(12, true) !== BYTE_ORDER_MARK) {
      this.problem = 'was written with another byte order';
      return;
    }
    const recordsLength = view.getFloat64(40, true);
    const trailerLength = view.getFloat64(48, true);
    if (HEADER_BYTES + recordsLength + trailerLength !== size) {
      this.problem = `is truncated or damaged (${size} bytes, its header says ${HEADER_BYTES + recordsLength + trailerLength})`;
      return;
    }
    const trailerBytes = new Uint8Array(trailerLength);
    await file.read(trailerBytes, 0, trailerLength, HEADER_BYTES + recordsLength);
    try {
      this.trailer = JSON.parse(this.decoder.decode(trailerBytes)) as Trailer;
    } catch {
      this.problem = 'is damaged (unreadable trailer)';
      return;
    }
    this.key = {
      optionsHash: view.getUint32(16, true),
      sourceSize: view.getFloat64(24, true),
      sourceMtimeMs: view.getFloat64(32, true),
    };
    this.recordsEnd = HEADER_BYTES + recordsLength;
  }

  /** The next examples (every complete record in the buffer), or undefined after the last. */
  async nextBatch(): Promise<Example[] | undefined> {
    if (!(await this.ensure(24))) {
      if (this.limit > this.start) throw new DataError('cache ended inside a record (damaged cache)');
      return undefined;
    }
    const first = this.recordSize(this.start);
    if (!(await this.ensure(first))) throw new DataError('cache ended inside a record (damaged cache)');
    const batch: Example[] = [];
    while (this.limit - this.start >= 24) {
      const size = this.recordSize(this.start);
      if (this.limit - this.start < size) break;
      batch.push(this.decode(this.start));
      this.start += size;
    }
    return batch;
  }

  private recordSize(p: number): number {
    const nonzeros = this.view.getUint32(p + 16, true);
    const tagLength = this.view.getUint32(p + 20, true);
    return 24 + (tagLength === NO_TAG ? 0 : (tagLength + 3) & ~3) + 8 * nonzeros;
  }

  private decode(p: number): Example {
    const view = this.view;
    const label = view.getFloat64(p, true);
    const weight = view.getFloat32(p + 8, true);
    const line = view.getUint32(p + 12, true);
    const nonzeros = view.getUint32(p + 16, true);
    const tagLength = view.getUint32(p + 20, true);
    p += 24;
    let tag: string | undefined;
    if (tagLength !== NO_TAG) {
      tag = this.decoder.decode(this.buffer.subarray(p, p + tagLength));
      p += (tagLength + 3) & ~3;
    }
    // Zero-copy: views into this batch's read buffer (records are 4-byte aligned, little-endian).
    const indices = new Uint32Array(this.buffer.buffer, p, nonzeros);
    const values = new Float32Array(this.buffer.buffer, p + 4 * nonzeros, nonzeros);
    const example: Example = { label, weight, indices, values, line };
    if (tag !== undefined) example.tag = tag;
    return example;
  }

  async close(): Promise<void> {
    await this.file?.close();
  }

  /** Makes `n` bytes available from `start`; false at the clean end of the records. */
  private async ensure(n: number): Promise<boolean> {
    if (this.limit - this.start >= n) return true;
    if (this.limit === this.start && this.filePosition >= this.recordsEnd) return false;
    // A fresh buffer per refill, because the examples handed out are views into the previous one;
    // the partial record at the end moves to its front.
    const carried = this.limit - this.start;
    const fresh = new Uint8Array(Math.max(READ_BYTES, n));
    fresh.set(this.buffer.subarray(this.start, this.limit));
    this.buffer = fresh;
    this.view = new DataView(fresh.buffer);
    this.start = 0;
    this.limit = carried;
    // Fill the buffer (reads may come back short).
    while (this.limit < this.buffer.length && this.filePosition < this.recordsEnd) {
      const want = Math.min(this.buffer.length - this.limit, this.recordsEnd - this.filePosition);
      const { bytesRead } = await this.file!.read(this.buffer, this.limit, want, this.filePosition);
      if (bytesRead === 0) break;
      this.filePosition += bytesRead;
      this.limit += bytesRead;
    }
    return this.limit - this.start >= n;
  }
}
