// Node-only data layer: files, stdin, gzip, corpora, dataset export, binary cache.
export type { ByteSource, OpenOptions } from './source.js';
export { STDIN_NAME, openBytes, sourceName } from './source.js';
export type { ExampleStream, ReadOptions } from './read.js';
export { readExamples, resolveFormat } from './read.js';
export { PARSE_THREAD_MIN_BYTES, parseThreadWorthIt, readExamplesInThread } from './parse-thread.js';
export { AtomicWriter, temporaryPathFor, writeFileAtomic } from './atomic.js';
export type { Corpus, CorpusName, CorpusOptions, SpamMessage } from './corpora.js';
export {
  BOSTON_FEATURES,
  BOSTON_TARGET,
  CORPORA,
  SPAM_GROUPS,
  checkCorpusName,
  loadBostonRows,
  loadCorpus,
  loadSpamMessages,
} from './corpora.js';
export type { ExportOptions, ExportResult } from './export.js';
export { exportCorpus, exportDataset, splitExamples } from './export.js';
export type { CacheKey, CacheOptions, CachedExampleStream } from './cache.js';
export { CACHE_MAGIC, CACHE_VERSION, cachedExamples, parseOptionsHash } from './cache.js';
