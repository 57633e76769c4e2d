/**
 * Opens an input for the readers: a file path, or `-` for standard input (or a stream injected in
 * its place, for tests and embedding). Gzip is recognised by its magic bytes 1f 8b, not the name, and
 * gunzipped on the fly (concatenated members included). Reads in chunks: memory stays constant.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { DataError } from '../errors.js';

export type ByteSource = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

export interface OpenOptions {
  /** What `-` reads; default process.stdin. */
  stdin?: ByteSource;
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
  /**
   * Read a file into one buffer, again and again: each chunk is valid only until the next is asked
   * for. For consumers that copy what they keep, as the parsers do; a fresh buffer per chunk costs
   * more than the read itself (new memory is zeroed and mapped page by page).
   */
  reuseBuffer?: boolean;
}

export const STDIN_NAME = '<stdin>';

/**
 * Data files up to this many bytes of text keep their parsed examples (about half that) in memory
 * between passes, rather than being read again or through a binary cache.
 */
export const KEEP_IN_MEMORY_BYTES = 256 * 2 ** 20;

/** Gzip's magic bytes 1f 8b at the start. */
function hasGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Whether the file at `path` is gzip (by its magic bytes, as the readers tell it). */
export function isGzipFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(2);
      return hasGzipMagic(head.subarray(0, readSync(fd, head, 0, 2, 0)));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw describeOpenError(error, path);
  }
}

/** A printable name for error messages. */
export function sourceName(path: string): string {
  return path === '-' ? STDIN_NAME : path;
}

export async function* openBytes(path: string, options: OpenOptions = {}): AsyncGenerator<Uint8Array> {
  const name = sourceName(path);
  const reuse = path !== '-' && options.reuseBuffer === true;
  const file = path === '-' ? undefined : fileChunks(path, options.chunkSize ?? 1 << 20, reuse);
  const raw: ByteSource = file ?? options.stdin ?? process.stdin;
  try {
    yield* gunzipIfCompressed(raw as AsyncIterable<Uint8Array>, name, reuse);
  } catch (error) {
    throw describeOpenError(error, name);
  } finally {
    // Closes the file when the reader stops early (an error, a break), not only at its end.
    await file?.return(undefined);
  }
}

/** A file's bytes in chunks of `size`, read into one reused buffer or a fresh one each time. */
async function* fileChunks(path: string, size: number, reuse: boolean): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafeSlow(size);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
      if (!reuse) buffer = Buffer.allocUnsafeSlow(size);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Gunzips `raw` when it starts with the gzip magic, else passes it through. With `reused` chunks
 * (valid only until the next is read), what must outlive that is copied: a head gathered from
 * several chunks, and what zlib, which may hold on to its input, is given.
 */
async function* gunzipIfCompressed(
  raw: AsyncIterable<Uint8Array>,
  name: string,
  reused: boolean,
): AsyncGenerator<Uint8Array> {
  const iterator = raw[Symbol.asyncIterator]();
  // Gather at least two bytes to look for the gzip magic.
  const head: Uint8Array[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < 2) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = toBytes(next.value);
    // Not enough for the magic yet: another read follows, which may overwrite this chunk.
    head.push(reused && headLength + chunk.length < 2 ? copyOf(chunk) : chunk);
    headLength += chunk.length;
  }
  const first = head.length === 1 ? head[0] : concat(head, headLength);
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toBytes(next.value);
    }
  };
  if (hasGzipMagic(first)) {
    // Loaded only for gzip input: most runs read plain text, and start-up counts in short ones.
    const { createGunzip } = await import('node:zlib');
    const { Readable } = await import('node:stream');
    const gunzip = createGunzip();
    const input = Readable.from(reused ? copies(rest()) : rest());
    input.on('error', (error) => gunzip.destroy(error));
    input.pipe(gunzip);
    try {
      for await (const chunk of gunzip) yield chunk as Uint8Array;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('Z_') || code === 'ERR_ZLIB') {
        throw new DataError(`corrupt or truncated gzip data (${(error as Error).message})`, { file: name });
      }
      throw error;
    }
  } else {
    yield* rest();
  }
}

async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield copyOf(chunk);
}

/** A copy (a Buffer's slice() would be a view of the same memory). */
function copyOf(chunk: Uint8Array): Uint8Array {
  return Buffer.from(chunk);
}

function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

function describeOpenError(error: unknown, name: string): unknown {
  if (error instanceof DataError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return new DataError('no such file', { file: name });
  if (code === 'EISDIR') return new DataError('is a directory, not a data file', { file: name });
  if (code === 'EACCES') return new DataError('permission denied', { file: name });
  return error;
}
