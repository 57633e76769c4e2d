// The explainer's Vite project: root web/, built to web/dist, served by `vite preview`.
import { fileURLToPath } from 'node:url';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
import { contoursPrerender } from './contours-prerender.js';
import { katexPrerender } from './katex-prerender.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// No cross-origin isolation headers (COOP/COEP): every figure on the page runs the library in float64,
// on the reference kernels, so shared WebAssembly memory would buy it nothing, while an isolated page
// costs a new browser process on every fresh load (0.2-0.3 s of the load time on the 2-core machine).
// The kernels run on plain memory there (test/kernels-browser.test.ts checks both cases).

const requestedPort = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
if (
  requestedPort !== undefined &&
  !(Number.isInteger(requestedPort) && requestedPort > 0 && requestedPort < 65536)
) {
  throw new Error(`web/vite.config.ts: PORT must be an integer in 1..65535, got "${process.env.PORT}"`);
}

/** The KaTeX faces the page's formulas use at load (document.fonts after a load lists these three). */
const FONTS_USED_AT_LOAD = /^assets\/KaTeX_(Main-Regular|Math-Italic|Size2-Regular)-[\w-]+\.woff2$/;

/**
 * Preloads the KaTeX fonts the first paint needs. Without this the browser requests them only when the
 * first formula is laid out, and KaTeX's font-display: block hides the formulas until they arrive; the
 * page is then laid out a second time. Preloaded, they are in before the sections are mounted.
 */
function preloadKatexFonts(): Plugin {
  return {
    name: 'adagrad-preload-katex-fonts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const tags: HtmlTagDescriptor[] = [];
        for (const file of Object.values(context.bundle ?? {})) {
          if (file.type === 'asset' && FONTS_USED_AT_LOAD.test(file.fileName)) {
            tags.push({
              tag: 'link',
              attrs: {
                rel: 'preload',
                as: 'font',
                type: 'font/woff2',
                crossorigin: true,
                href: `./${file.fileName}`,
              },
              injectTo: 'head',
            });
          }
        }
        if (tags.length !== 3) {
          throw new Error(
            `web/vite.config.ts: expected the 3 KaTeX fonts to preload, found ${tags.length}; update FONTS_USED_AT_LOAD`,
          );
        }
        return tags;
      },
    },
  };
}

export default defineConfig({
  plugins: [katexPrerender(root), contoursPrerender(), preloadKatexFonts()],
  root,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // The page imports the library from ../src.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
  preview: {
    port: requestedPort ?? 4173,
    // A port the user asked for is a promise; the default may move to the next free one.
    strictPort: requestedPort !== undefined,
  },
});
