// Node-only parts of the package: file readers, corpora, caches and model files. Import as 'adagrad/node'.
export * from './data/node/index.js';
