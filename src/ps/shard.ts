/**
 * Worker I of N's shard of a data file: the lines that start in bytes [⌊(I-1)·S/N⌋, ⌊I·S/N⌋) of
 * the file's S bytes. Each worker reads and parses only its own part (the whole file's parse, once
 * per pass, split N ways), and every line belongs to exactly one shard. A CSV worker past the first
 * parses the file's header line before its range.
 *
 * Line numbers: the parser counts lines from the start of what it reads, so errors name lines of
 * the shard; locate() turns such an error into the file's line by counting the newlines before the
 * shard, which reads that part of the file once, and only when an error needs it.
 *
 * A shard of at most KEEP_IN_MEMORY_BYTES is parsed once: its examples stay in memory for the later passes
 * (as local training reads its binary cache after the first); a bigger one is read again each pass.
 *
 * A gzip file cannot be read from the middle: its worker reads the whole stream and keeps examples
 * j with j mod N = I - 1, the lines numbered as they are in the file.
 */
import { open, stat } from 'node:fs/promises';
import { DataError } from '../data/errors.js';
import type { Example } from '../data/example.js';
import type { Format } from '../data/format.js';
import { ExampleParser } from '../data/parser.js';
import { readExamples, resolveFormat } from '../data/node/read.js';
import { isGzipFile, KEEP_IN_MEMORY_BYTES, sourceName } from '../data/node/source.js';
import type { WorkerId } from './worker.js';

export interface ShardOptions {
  format?: Format;
  bits: number;
  labelColumn?: string;
  skipBadLines: boolean;
}

export interface Shard {
  /** The file, as errors name it. */
  readonly name: string;
  /** 'bytes' for a range of the file, 'interleaved' for every N-th example of a gzip stream. */
  readonly kind: 'bytes' | 'interleaved';
  /** One pass over the shard, in batches; each call starts again. */
  pass(): AsyncIterable<Example[]>;
  /** Bad lines skipped in the current (or last) pass. */
  badLines(): number;
  /** `error` naming the file and, for a line, its number in the file rather than in the shard. */
  locate(error: DataError): Promise<DataError>;
}

const CHUNK = 1 << 20;
/** Examples per batch when a pass comes from memory. */
const MEMORY_BATCH = 1024;
const NEWLINE = 10;

export async function openShard(path: string, worker: WorkerId, options: ShardOptions): Promise<Shard> {
  const name = sourceName(path);
  const format = resolveFormat(path, options.format);
  const parserOptions = {
    format,
    bits: options.bits,
    labelColumn: options.labelColumn,
    skipBadLines: options.skipBadLines,
    source: name,
    // A fetch window holds examples from several batches: they must not share memory.
    reuseRows: false,
  };
  // Bad options (bits out of range, a bad label column) fail before anything is read.
  new ExampleParser(parserOptions);
  if (path === '-' || isGzipFile(path)) return interleavedShard(path, worker, parserOptions);

  const size = (await stat(path)).size;
  const { start, end, prefix } = await withFile(path, async (file) => {
    const first = await lineStartFrom(file, Math.floor(((worker.index - 1) * size) / worker.count), size);
    const last =
      worker.index === worker.count
        ? size
        : await lineStartFrom(file, Math.floor((worker.index * size) / worker.count), size);
    const header = format === 'csv' && first > 0 ? await headerBytes(file, size) : new Uint8Array(0);
    // A shard that starts before the header's end (blank lines first) reads the header itself.
    return { start: first, end: last, prefix: header.length <= first ? header : new Uint8Array(0) };
  });
  let prefixLines = 0;
  for (const byte of prefix) if (byte === NEWLINE) prefixLines++;
  let linesBefore: Promise<number> | undefined;
  let parser: ExampleParser | undefined;
  let kept: Example[] | undefined;

  return {
    name,
    kind: 'bytes',
    async *pass() {
      if (kept !== undefined) {
        for (let i = 0; i < kept.length; i += MEMORY_BATCH) yield kept.slice(i, i + MEMORY_BATCH);
        return;
      }
      const keeping: Example[] | undefined = end - start <= KEEP_IN_MEMORY_BYTES ? [] : undefined;
      const p = new ExampleParser(parserOptions);
      parser = p;
      if (prefix.length > 0) p.push(prefix);
      if (start === end) return;
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafeSlow(CHUNK);
        let at = start;
        let lastByte = NEWLINE;
        while (at < end) {
          const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, end - at), at);
          if (bytesRead === 0) break; // the file shrank under us: its end is the shard's
          at += bytesRead;
          lastByte = buffer[bytesRead - 1];
          // The parser copies what it keeps of a chunk, so one buffer serves the whole pass.
          const batch = p.push(buffer.subarray(0, bytesRead));
          if (batch.length === 0) continue;
          keeping?.push(...batch);
          yield batch;
        }
        // The last line of the file may lack its newline. Ending it here, rather than calling
        // finish(), keeps a shard without examples (more workers than lines) from being an error.
        if (lastByte !== NEWLINE) {
          const batch = p.push(Uint8Array.of(NEWLINE));
          keeping?.push(...batch);
          if (batch.length > 0) yield batch;
        }
        // Kept only once the whole shard is read: a pass stopped early (Ctrl-C) keeps nothing.
        kept = keeping;
      } finally {
        await handle.close();
      }
    },
    badLines: () => parser?.stats.badLines ?? 0,
    async locate(error) {
      if (error.line === undefined) return error.file === undefined ? error.inFile(name) : error;
      linesBefore ??= withFile(path, (file) => countNewlines(file, start));
      const line = error.line - prefixLines + (await linesBefore);
      return new DataError(error.reason, { file: name, line });
    },
  };
}

/** Runs `work` on the shard; a bad line's error names its line in the file, not in the shard. */
export async function onShard<T>(shard: Shard, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof DataError ? await shard.locate(error) : error;
  }
}

/** A gzip stream (or stdin) read whole, keeping every N-th example: lines are the file's already. */
function interleavedShard(
  path: string,
  worker: WorkerId,
  parserOptions: { format: Format; bits: number; skipBadLines: boolean; labelColumn?: string },
): Shard {
  const stream = readExamples(path, parserOptions);
  return {
    name: stream.source,
    kind: 'interleaved',
    async *pass() {
      let j = 0;
      for await (const batch of stream.batches()) {
        const mine = batch.filter(() => j++ % worker.count === worker.index - 1);
        if (mine.length > 0) yield mine;
      }
    },
    badLines: () => stream.stats.badLines,
    locate: async (error) => (error.file === undefined ? error.inFile(stream.source) : error),
  };
}

type FileHandle = Awaited<ReturnType<typeof open>>;

async function withFile<T>(path: string, use: (file: FileHandle) => Promise<T>): Promise<T> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new DataError('no such file', { file: path });
    if (code === 'EISDIR') throw new DataError('is a directory, not a data file', { file: path });
    if (code === 'EACCES') throw new DataError('permission denied', { file: path });
    throw error;
  }
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}

/** The first line start at or after `at`: `at` itself when the byte before it is a newline. */
async function lineStartFrom(file: FileHandle, at: number, size: number): Promise<number> {
  if (at === 0) return 0;
  const buffer = Buffer.allocUnsafe(64 * 1024);
  for (let from = at - 1; from < size; from += buffer.length) {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
    if (bytesRead === 0) break;
    const newline = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
    if (newline >= 0) return from + newline + 1;
  }
  return size;
}

/** The file's lines up to and including the first that is not blank: a CSV file's header. */
async function headerBytes(file: FileHandle, size: number): Promise<Uint8Array> {
  let end = 0;
  while (end < size) {
    const next = await lineStartFrom(file, end + 1, size);
    const line = await readRange(file, end, next);
    end = next;
    if (line.toString('utf8').trim() !== '') break;
  }
  return readRange(file, 0, end);
}

async function readRange(file: FileHandle, from: number, to: number): Promise<Buffer> {
  const bytes = Buffer.alloc(to - from);
  await file.read(bytes, 0, bytes.length, from);
  return bytes;
}

/** Newlines in the file's first `end` bytes: the number of lines before a shard starting there. */
async function countNewlines(file: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.allocUnsafeSlow(CHUNK);
  let count = 0;
  for (let at = 0; at < end;) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK, end - at), at);
    if (bytesRead === 0) break;
    for (let i = buffer.indexOf(NEWLINE); i >= 0 && i < bytesRead; i = buffer.indexOf(NEWLINE, i + 1)) {
      count++;
    }
    at += bytesRead;
  }
  return count;
}
