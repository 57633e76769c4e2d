/**
 * The model file format, version 2 (all integers little-endian; version 1 files are read too):
 *
 *   offset  size  content
 *   0       8     magic "ADAGRADM"
 *   8       4     format version (1)
 *   12      4     H: length of the header JSON in bytes
 *   16      8     D: length of the array section in bytes (float64, exact below 2^53)
 *   24      H     header JSON (UTF-8): { kind, model, features, arrays: [{ name, dtype, length, offset }] }
 *   …       0-7   zero padding to a multiple of 8
 *   …       D     the arrays (float32, float64 or uint32), each at its offset, 8-byte aligned
 *   end−4   4     CRC-32 of every byte before it
 *
 * An array whose entry has `nonzeros: m` (version 2) is stored sparse: m uint32 positions in
 * increasing order, zero padding to 8 bytes, then its m nonzero values; every other position is 0.
 * The encoder stores an array so whenever that is smaller, as it is for the weights of a sparse
 * (l1) model or of a large hash space that the data fills thinly.
 *
 * `model` is the model's own header (loss, bits, classes, link, learner and optimizer options,
 * counters), `features` what the caller records about how rows were made (format, bits, …), and the
 * arrays hold the weights and the optimizer state, so training resumes exactly.
 *
 * Decoding checks, in order: magic, version, length (truncated), checksum (corrupt), then the
 * header's own consistency; each failure is a ModelFileError of its own kind.
 */
import { crc32 } from './crc32.js';
import type { SavedArray, SavedModel } from './saved.js';

export const MODEL_MAGIC = 'ADAGRADM';
export const MODEL_VERSION = 2;
/** Versions this reader understands. */
const READABLE_VERSIONS = [1, 2];
const FIXED = 24;

export type ModelFileProblem = 'missing' | 'truncated' | 'corrupt' | 'magic' | 'version' | 'incompatible';

/** A model file that cannot be used; `problem` says why, `path` which file (when known). */
export class ModelFileError extends Error {
  readonly problem: ModelFileProblem;
  readonly path: string | undefined;
  constructor(problem: ModelFileProblem, reason: string, path?: string) {
    super(path === undefined ? reason : `${path}: ${reason}`);
    this.name = 'ModelFileError';
    this.problem = problem;
    this.path = path;
  }
}

type DType = 'float32' | 'float64' | 'uint32';
interface ArrayEntry {
  name: string;
  dtype: DType;
  length: number;
  offset: number;
  /** Stored sparse: this many nonzero values (see the format above). */
  nonzeros?: number;
}

/** What a model file holds, decoded. */
export interface ModelFileContents {
  saved: SavedModel;
  /** How the caller made feature rows (format, bits, namespaces…), as given to encodeModel. */
  features: Record<string, unknown> | null;
}

const dtypeOf = (a: SavedArray): DType =>
  a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'uint32';
const BYTES: Record<DType, number> = { float32: 4, float64: 8, uint32: 4 };
const align8 = (n: number): number => Math.ceil(n / 8) * 8;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A CRC-32 function like ./crc32.ts's, for a platform that has a faster one (Node's zlib.crc32). */
export type Crc32 = (bytes: Uint8Array) => number;

export interface EncodeOptions {
  /** Computes the checksum; default ./crc32.ts. */
  crc32?: Crc32;
}

export function encodeModel(
  saved: SavedModel,
  features: Record<string, unknown> | null = null,
  options: EncodeOptions = {},
): Uint8Array {
  const entries: ArrayEntry[] = [];
  let dataLength = 0;
  for (const [name, a] of Object.entries(saved.arrays)) {
    const dtype = dtypeOf(a);
    const nonzeros = countNonzeros(a);
    const denseBytes = a.length * BYTES[dtype];
    if (sparseBytes(nonzeros, dtype) < denseBytes) {
      entries.push({ name, dtype, length: a.length, offset: dataLength, nonzeros });
      dataLength = align8(dataLength + sparseBytes(nonzeros, dtype));
    } else {
      entries.push({ name, dtype, length: a.length, offset: dataLength });
      dataLength = align8(dataLength + denseBytes);
    }
  }
  const header = new TextEncoder().encode(
    JSON.stringify({ kind: saved.kind, model: saved.header, features, arrays: entries }),
  );
  const dataStart = align8(FIXED + header.length);
  const total = dataStart + dataLength + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MODEL_MAGIC), 0);
  view.setUint32(8, MODEL_VERSION, true);
  view.setUint32(12, header.length, true);
  view.setFloat64(16, dataLength, true);
  bytes.set(header, FIXED);
  for (const e of entries) {
    const a = saved.arrays[e.name];
    const at = dataStart + e.offset;
    if (e.nonzeros !== undefined) {
      const valuesAt = at + align8(4 * e.nonzeros);
      const size = BYTES[e.dtype];
      let j = 0;
      for (let i = 0; i < a.length; i++) {
        if (a[i] === 0) continue;
        view.setUint32(at + 4 * j, i, true);
        if (e.dtype === 'float32') view.setFloat32(valuesAt + size * j, a[i], true);
        else if (e.dtype === 'float64') view.setFloat64(valuesAt + size * j, a[i], true);
        else view.setUint32(valuesAt + size * j, a[i], true);
        j++;
      }
    } else if (littleEndian) {
      bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    } else {
      for (let i = 0; i < a.length; i++) {
        if (e.dtype === 'float32') view.setFloat32(at + 4 * i, a[i], true);
        else if (e.dtype === 'float64') view.setFloat64(at + 8 * i, a[i], true);
        else view.setUint32(at + 4 * i, a[i], true);
      }
    }
  }
  view.setUint32(total - 4, (options.crc32 ?? crc32)(bytes.subarray(0, total - 4)), true);
  return bytes;
}

export interface DecodeOptions {
  /** Computes the checksum; default ./crc32.ts. */
  crc32?: Crc32;
  /**
   * The arrays may be views of `bytes` instead of copies (where their offsets are aligned, on a
   * little-endian machine): for a caller that owns `bytes` and will not change it, as the file
   * reader does. Copying 2^18 weights and their accumulators means touching 2 MB of new memory.
   */
  shareMemory?: boolean;
}

export function decodeModel(
  bytes: Uint8Array,
  path?: string,
  options: DecodeOptions = {},
): ModelFileContents {
  const fail = (problem: ModelFileProblem, reason: string): never => {
    throw new ModelFileError(problem, reason, path);
  };
  const magic = new TextDecoder().decode(bytes.subarray(0, Math.min(8, bytes.length)));
  if (magic !== MODEL_MAGIC) {
    if (MODEL_MAGIC.startsWith(magic)) fail('truncated', `truncated model file: ${bytes.length} bytes`);
    fail('magic', `not an adagrad model file (it does not start with '${MODEL_MAGIC}')`);
  }
  if (bytes.length < FIXED + 4) fail('truncated', `truncated model file: ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (!READABLE_VERSIONS.includes(version)) {
    fail(
      'version',
      `model file version ${version} is not supported (this version reads ${READABLE_VERSIONS.join(' and ')})`,
    );
  }
  const headerLength = view.getUint32(12, true);
  const dataLength = view.getFloat64(16, true);
  if (!Number.isSafeInteger(dataLength) || dataLength < 0)
    fail('corrupt', 'corrupt model file (bad section length)');
  const dataStart = align8(FIXED + headerLength);
  const expected = dataStart + dataLength + 4;
  if (bytes.length < expected) {
    fail('truncated', `truncated model file: ${bytes.length} bytes of the ${expected} its header announces`);
  }
  if (bytes.length > expected)
    fail('corrupt', `corrupt model file: ${bytes.length - expected} unexpected bytes at the end`);
  const stored = view.getUint32(expected - 4, true);
  const actual = (options.crc32 ?? crc32)(bytes.subarray(0, expected - 4));
  if (stored !== actual) {
    fail('corrupt', `corrupt model file: checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);
  }
  let header: {
    kind: SavedModel['kind'];
    model: Record<string, unknown>;
    features: Record<string, unknown> | null;
    arrays: ArrayEntry[];
  };
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, FIXED + headerLength)),
    );
  } catch {
    return fail('corrupt', 'corrupt model file: the header is not valid JSON');
  }
  if (header === null || typeof header !== 'object' || !Array.isArray(header.arrays)) {
    fail('corrupt', 'corrupt model file: the header lacks its array table');
  }
  if (header.kind !== 'linear' && header.kind !== 'mlp')
    fail('corrupt', `unknown model kind '${String(header.kind)}'`);
  const arrays: Record<string, SavedArray> = {};
  for (const e of header.arrays) {
    const size = BYTES[e.dtype];
    if (
      size === undefined ||
      !Number.isSafeInteger(e.length) ||
      !Number.isSafeInteger(e.offset) ||
      e.offset % 8 !== 0
    ) {
      fail('corrupt', `corrupt model file: bad entry for array '${String(e.name)}'`);
    }
    if (e.nonzeros !== undefined) {
      arrays[e.name] = readSparse(e, view, dataStart, dataLength, fail);
      continue;
    }
    if (e.offset + e.length * size > dataLength)
      fail('corrupt', `corrupt model file: array '${e.name}' overruns the file`);
    const at = dataStart + e.offset;
    if (options.shareMemory === true && littleEndian && (bytes.byteOffset + at) % size === 0) {
      arrays[e.name] = viewOf(e.dtype, bytes.buffer, bytes.byteOffset + at, e.length);
      continue;
    }
    // Copy out so the arrays are aligned and independent of the file buffer.
    const chunk = new Uint8Array(e.length * size);
    chunk.set(bytes.subarray(at, at + e.length * size));
    const a = viewOf(e.dtype, chunk.buffer, 0, e.length);
    if (!littleEndian) {
      const v = new DataView(chunk.buffer);
      for (let i = 0; i < e.length; i++) {
        a[i] =
          e.dtype === 'float32'
            ? v.getFloat32(4 * i, true)
            : e.dtype === 'float64'
              ? v.getFloat64(8 * i, true)
              : v.getUint32(4 * i, true);
      }
    }
    arrays[e.name] = a;
  }
  return { saved: { kind: header.kind, header: header.model, arrays }, features: header.features ?? null };
}

function countNonzeros(a: SavedArray): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) count++;
  return count;
}

function sparseBytes(nonzeros: number, dtype: DType): number {
  return align8(4 * nonzeros) + nonzeros * BYTES[dtype];
}

function readSparse(
  e: ArrayEntry,
  view: DataView,
  dataStart: number,
  dataLength: number,
  fail: (problem: ModelFileProblem, reason: string) => never,
): SavedArray {
  const m = e.nonzeros as number;
  if (!Number.isSafeInteger(m) || m < 0 || m > e.length)
    fail('corrupt', `corrupt model file: bad nonzero count for array '${e.name}'`);
  if (e.offset + sparseBytes(m, e.dtype) > dataLength)
    fail('corrupt', `corrupt model file: array '${e.name}' overruns the file`);
  const a = viewOf(e.dtype, new ArrayBuffer(e.length * BYTES[e.dtype]), 0, e.length);
  const at = dataStart + e.offset;
  const valuesAt = at + align8(4 * m);
  const size = BYTES[e.dtype];
  let previous = -1;
  for (let j = 0; j < m; j++) {
    const i = view.getUint32(at + 4 * j, true);
    if (i <= previous || i >= e.length)
      fail('corrupt', `corrupt model file: array '${e.name}' has position ${i} out of order or range`);
    previous = i;
    a[i] =
      e.dtype === 'float32'
        ? view.getFloat32(valuesAt + size * j, true)
        : e.dtype === 'float64'
          ? view.getFloat64(valuesAt + size * j, true)
          : view.getUint32(valuesAt + size * j, true);
  }
  return a;
}

function viewOf(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): SavedArray {
  if (dtype === 'float32') return new Float32Array(buffer, byteOffset, length);
  if (dtype === 'float64') return new Float64Array(buffer, byteOffset, length);
  return new Uint32Array(buffer, byteOffset, length);
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
