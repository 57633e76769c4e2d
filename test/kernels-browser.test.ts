// The kernels in a real browser: Vite bundles a page that imports src/kernels/index.ts, Chromium loads
// it (the WebAssembly module compiles synchronously on the main thread), steps AdaGrad on alloc()
// arrays across a memory growth, and compares with the reference. Served twice: cross-origin isolated
// (COOP/COEP headers: shared memory, no copies) and not (SharedArrayBuffer hidden: the plain-memory
// build with copies). Both must give the reference's bits.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// CI installs Debian's chromium (.ci/run); without it there is no browser to test in.
const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const kernelsEntry = fileURLToPath(new URL('../src/kernels/index.ts', import.meta.url));

const page = `
import { alloc, kernels, kernelsInfo, referenceKernels, stateLike } from ${JSON.stringify(kernelsEntry)};
const n = 1001;
const p = alloc(n), g = alloc(n), s = stateLike(p);
for (let i = 0; i < n; i++) { p[i] = Math.sin(i); g[i] = Math.cos(i); }
const rp = Float32Array.from(p), rs = new Float32Array(n);
const sc = { clr: 0.1, eps: 1e-10, gradSign: 1, weightDecay: 0, decoupledWeightDecay: 0, epsInside: false, skipZeroAccumulator: false };
kernels().adagradDense(p, g, s, sc);
referenceKernels.adagradDense(rp, g, rs, sc);
const big = alloc(4 << 20); // 16 MiB: the memory grows under p, g and s
big[big.length - 1] = 1;
kernels().adagradDense(p, g, s, sc);
referenceKernels.adagradDense(rp, g, rs, sc);
let same = true;
for (let i = 0; i < n; i++) if (!Object.is(p[i], rp[i]) || !Object.is(s[i], rs[i])) same = false;
window.result = { ...kernelsInfo(), same, isolated: self.crossOriginIsolated, buffer: p.buffer.constructor.name };
`;

let dir = '';
let browser: Browser | null = null;

function serve(isolated: boolean): Promise<http.Server> {
  const root = join(dir, 'dist');
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const path = normalize(join(root, req.url === '/' ? 'index.html' : (req.url ?? '')));
      let body: Buffer;
      try {
        body = readFileSync(path);
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': extname(path) === '.js' ? 'text/javascript' : 'text/html',
        ...(isolated
          ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
          : {}),
      });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function runPage(isolated: boolean): Promise<Record<string, unknown>> {
  const server = await serve(isolated);
  try {
    const tab = await (browser as Browser).newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await tab.waitForFunction(() => 'result' in window, null, { timeout: 20_000 });
    const result =
      (await tab.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result)) ?? {};
    await tab.close();
    expect(errors).toEqual([]);
    return result;
  } finally {
    server.close();
  }
}

describe.skipIf(chromiumPath === undefined)('kernels in Chromium (Vite bundle)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adagrad-kernels-browser-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.ts"></script>');
    writeFileSync(join(dir, 'main.ts'), page);
    await build({ root: dir, logLevel: 'silent', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('cross-origin isolated: WebAssembly SIMD on shared memory, the reference bits', async () => {
    const r = await runPage(true);
    expect(r).toMatchObject({
      active: 'wasm',
      sharedMemory: true,
      isolated: true,
      buffer: 'SharedArrayBuffer',
    });
    expect(r.same).toBe(true);
  });

  it('not isolated: the plain-memory build with copies, the same bits', async () => {
    const r = await runPage(false);
    expect(r).toMatchObject({ active: 'wasm', sharedMemory: false, isolated: false, buffer: 'ArrayBuffer' });
    expect(r.same).toBe(true);
  });
});
