/**
 * The model file (STAND-IN for src/learn's, see ./linear.ts). Versioned, checksummed, atomic.
 *
 * Layout, little-endian:
 *   magic "ADAGRADM" (8 bytes), version u32, header length u32,
 *   header: UTF-8 JSON (loss, bits, classes, link, label convention, feature options, learner
 *     options, examples seen, the blobs that follow, the library optimizer's state dict if any),
 *     padded with spaces to a multiple of 4 bytes,
 *   blobs: float32 arrays in header order (weights, biases, AdaGrad accumulators),
 *   CRC-32 (IEEE) of everything before it, u32.
 * Everything needed to resume training exactly is in the file: weights and optimizer state.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../data/node/index.js';
import type { AdagradPreset } from '../../optim/index.js';
import type { OptimizerName } from '../optimizers.js';
import { type LabelKind, LinearLearner, type LearnerOptions, linkOf, type LossName } from './linear.js';

export const MODEL_MAGIC = 'ADAGRADM';
export const MODEL_VERSION = 1;

/** How the training data was read: a prediction must read its input the same way. */
export interface FeatureOptions {
  format: string;
  bits: number;
  labelColumn?: string;
  /** CSV header names of the feature indices, when known. */
  featureNames?: string[];
}

export interface ModelHeader {
  loss: LossName;
  bits: number;
  classes: number;
  link: string;
  labelKind: LabelKind | null;
  features: FeatureOptions;
  learner: { optimizer: OptimizerName; preset: AdagradPreset; lr: number; l2: number };
  examplesSeen: number;
  passes: number;
  blobs: { name: string; length: number }[];
  optimizerState?: unknown;
}

export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

export interface SavedModel {
  learner: LinearLearner;
  header: ModelHeader;
}

export function saveModel(
  path: string,
  learner: LinearLearner,
  features: FeatureOptions,
  passes: number,
): ModelHeader {
  const o = learner.options;
  const blobs: [string, Float32Array][] = [
    ['w', learner.w],
    ['b', learner.b],
  ];
  if (learner.gw !== undefined) blobs.push(['gw', learner.gw], ['gb', learner.gb!]);
  const header: ModelHeader = {
    loss: o.loss,
    bits: o.bits,
    classes: learner.classes,
    link: linkOf(o.loss),
    labelKind: learner.labelKind ?? null,
    features,
    learner: { optimizer: o.optimizer, preset: o.preset, lr: o.lr, l2: o.l2 },
    examplesSeen: learner.examplesSeen,
    passes,
    blobs: blobs.map(([name, data]) => ({ name, length: data.length })),
    optimizerState: learner.optimizerState(),
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((4 - (Buffer.byteLength(json) % 4)) % 4);
  const headerBytes = Buffer.from(json, 'utf8');
  const blobBytes = blobs.reduce((sum, [, data]) => sum + data.byteLength, 0);
  const total = 16 + headerBytes.length + blobBytes + 4;
  const out = Buffer.alloc(total);
  out.write(MODEL_MAGIC, 0, 'latin1');
  out.writeUInt32LE(MODEL_VERSION, 8);
  out.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(out, 16);
  let offset = 16 + headerBytes.length;
  for (const [, data] of blobs) {
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, offset);
    offset += data.byteLength;
  }
  out.writeUInt32LE(crc32(out.subarray(0, offset)), offset);
  writeFileAtomic(path, out);
  return header;
}

export function loadModel(path: string): SavedModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(
      code === 'ENOENT'
        ? `${path}: model file not found`
        : `${path}: cannot read the model (${code ?? 'error'})`,
    );
  }
  const fail = (why: string): never => {
    throw new ModelFileError(`${path}: ${why}`);
  };
  if (bytes.length < 20 || bytes.toString('latin1', 0, 8) !== MODEL_MAGIC) {
    fail('not an adagrad model file (wrong magic bytes)');
  }
  const version = bytes.readUInt32LE(8);
  if (version !== MODEL_VERSION)
    fail(`model file version ${version}; this adagrad reads version ${MODEL_VERSION}`);
  const headerLength = bytes.readUInt32LE(12);
  if (16 + headerLength + 4 > bytes.length) fail('truncated model file (header runs past the end)');
  let header: ModelHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength)) as ModelHeader;
  } catch {
    return fail('corrupt model file (header is not valid JSON)');
  }
  const blobBytes = (header.blobs ?? []).reduce((sum, b) => sum + 4 * b.length, 0);
  const end = 16 + headerLength + blobBytes;
  if (end + 4 !== bytes.length) {
    fail(end + 4 > bytes.length ? 'truncated model file' : 'corrupt model file (unexpected trailing bytes)');
  }
  if (crc32(bytes.subarray(0, end)) !== bytes.readUInt32LE(end))
    fail('corrupt model file (checksum mismatch)');
  const options: LearnerOptions = {
    loss: header.loss,
    bits: header.bits,
    classes: header.classes,
    l2: header.learner.l2,
    optimizer: header.learner.optimizer,
    preset: header.learner.preset,
    lr: header.learner.lr,
  };
  const learner = new LinearLearner(options);
  let offset = 16 + headerLength;
  for (const { name, length } of header.blobs) {
    const target = { w: learner.w, b: learner.b, gw: learner.gw, gb: learner.gb }[name];
    if (target === undefined || target.length !== length)
      fail(`corrupt model file (blob '${name}' does not fit)`);
    const copy = new Float32Array(length);
    new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + 4 * length));
    target!.set(copy);
    offset += 4 * length;
  }
  if (header.optimizerState !== undefined) learner.loadOptimizerState(header.optimizerState);
  learner.labelKind = header.labelKind ?? undefined;
  learner.examplesSeen = header.examplesSeen;
  return { learner, header };
}

/** The JSON a person can read: options, and the largest weights by magnitude, named where known. */
export function readableModel(model: SavedModel, top = 50): unknown {
  const { learner, header } = model;
  const names = header.features.featureNames;
  const weights: { class?: number; index: number; feature?: string; weight: number }[] = [];
  const order = Array.from(learner.w.keys())
    .filter((i) => learner.w[i] !== 0)
    .sort((a, b) => Math.abs(learner.w[b]) - Math.abs(learner.w[a]))
    .slice(0, top);
  for (const i of order) {
    const index = i % learner.size;
    const entry: (typeof weights)[number] = { index, weight: learner.w[i] };
    if (learner.classes > 1) entry.class = Math.floor(i / learner.size);
    if (names?.[index] !== undefined) entry.feature = names[index];
    weights.push(entry);
  }
  const { blobs: _blobs, optimizerState: _state, ...options } = header;
  return { ...options, bias: Array.from(learner.b), largestWeights: weights };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib and PNG): crc32("123456789") = 0xcbf43926. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
