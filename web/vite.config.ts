// The explainer's Vite project: root web/, built to web/dist, served by `vite preview`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Cross-origin isolation, so that the library's WebAssembly kernels may use shared memory.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const requestedPort = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
if (
  requestedPort !== undefined &&
  !(Number.isInteger(requestedPort) && requestedPort > 0 && requestedPort < 65536)
) {
  throw new Error(`web/vite.config.ts: PORT must be an integer in 1..65535, got "${process.env.PORT}"`);
}

export default defineConfig({
  root,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  server: {
    headers: isolationHeaders,
    // The page imports the library from ../src.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
  preview: {
    headers: isolationHeaders,
    port: requestedPort ?? 4173,
    // A port the user asked for is a promise; the default may move to the next free one.
    strictPort: requestedPort !== undefined,
  },
});
