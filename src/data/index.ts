// The browser-safe data layer: records, hashing, tokenizing, parsing. Node-only readers (files,
// stdin, gzip, corpora, cache) are in ./node/index.ts.
export type { Example, ReadStats } from './example.js';
export { emptyStats } from './example.js';
export { DataError } from './errors.js';
export { murmur3, murmur3Bytes } from './murmur3.js';
export {
  CONSTANT_HASH,
  DEFAULT_BITS,
  MAX_BITS,
  MIN_BITS,
  checkBits,
  constantFeatureIndex,
  featureIndex,
  hashMask,
  namespaceSeed,
} from './hashing.js';
export { MAX_TOKEN_LENGTH, TOKEN_PATTERN, splitMail, tokenize, tokenizeMail } from './tokenize.js';
export type { SparseRow } from './features.js';
export { hashedBagOfWords } from './features.js';
export { mulberry32, randomInt, shuffleInPlace } from './random.js';
export type { LineParser, ParseOptions } from './line-parser.js';
export { LineSplitter } from './lines.js';
export { libsvmParser } from './libsvm.js';
export { vwParser } from './vw.js';
export { csvParser, splitCsvLine } from './csv.js';
export { jsonlParser } from './jsonl.js';
export type { Format } from './format.js';
export { FORMATS, checkFormat, formatFromName, lineParser } from './format.js';
export type { ExampleParserOptions } from './parser.js';
export { ExampleParser, parseExamples } from './parser.js';
export { formatLibsvmLine, shortestFloat32 } from './libsvm-writer.js';
