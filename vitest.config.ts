import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { katexPrerender } from './web/katex-prerender.js';

export default defineConfig({
  // The page's modules (unit-tested here) import the formulas typeset at build time.
  plugins: [katexPrerender(fileURLToPath(new URL('web', import.meta.url)))],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
