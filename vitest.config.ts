import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { contoursPrerender } from './web/contours-prerender.js';
import { katexPrerender } from './web/katex-prerender.js';

export default defineConfig({
  // The page's modules (unit-tested here) import the formulas typeset and the contours drawn at build time.
  plugins: [katexPrerender(fileURLToPath(new URL('web', import.meta.url))), contoursPrerender()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
