/**
 * Opens an input for the readers: a file path, or `-` for standard input (or a stream injected in
 * its place, for tests and embedding). Gzip is recognised by its magic bytes 1f 8b, not the name, and
 * gunzipped on the fly (concatenated members included). Reads in chunks: memory stays constant.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataError } from '../errors.js';

export type ByteSource = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

export interface OpenOptions {
  /** What `-` reads; default process.stdin. */
  stdin?: ByteSource;
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
}

export const STDIN_NAME = '<stdin>';

/** A printable name for error messages. */
export function sourceName(path: string): string {
  return path === '-' ? STDIN_NAME : path;
}

export async function* openBytes(path: string, options: OpenOptions = {}): AsyncGenerator<Uint8Array> {
  const name = sourceName(path);
  const raw: ByteSource =
    path === '-'
      ? (options.stdin ?? process.stdin)
      : createReadStream(path, { highWaterMark: options.chunkSize ?? 1 << 20 });
  try {
    yield* gunzipIfCompressed(raw as AsyncIterable<Uint8Array>, name);
  } catch (error) {
    throw describeOpenError(error, name);
  }
}

async function* gunzipIfCompressed(raw: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
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
    head.push(chunk);
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
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) {
    const gunzip = createGunzip();
    const input = Readable.from(rest());
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
