// Node-only data layer: files, stdin, gzip, corpora, dataset export, binary cache.
export type { ByteSource, OpenOptions } from './source.js';
export { STDIN_NAME, openBytes, sourceName } from './source.js';
export type { ExampleStream, ReadOptions } from './read.js';
export { readExamples, resolveFormat } from './read.js';
