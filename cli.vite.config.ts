// The `adagrad` command as one bundle (dist/bin/adagrad.js, with a chunk per command loaded on demand).
// Node loads ES modules one file at a time: the command's ~60 modules cost about 80 ms of CPU at each
// start, which a short `predict` notices. Dependencies stay external (resolved from node_modules).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'dist/bin',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      // The parse thread's script is an entry of its own, beside the chunks that start it (they find
      // it as ./parse-worker.js from their own URL, as the library's dist/ modules do).
      input: { adagrad: 'src/cli/main.ts', 'parse-worker': 'src/data/node/parse-worker.ts' },
      output: {
        entryFileNames: (entry) => (entry.name === 'adagrad' ? 'adagrad.js' : 'chunks/[name].js'),
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
});
