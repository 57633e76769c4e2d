// Browser-test harness: serves the already built page (web/dist) with `vite preview` on a free port and
// drives Debian's chromium through playwright-core. It builds nothing: run
// `npx vite build --config web/vite.config.ts` first (the lead's `npm test` does).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

/** playwright-core's default --disable-features list (chromiumSwitches.ts), Linux entries. */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The new headless mode runs the browser's own UI, and it built the omnibox popup's WebUI page while
  // each page loaded: on this 2-core machine that took a core from the page under test (the page-load
  // bench measured every figure painted at 1.23 s with it, 0.67 s without). Puppeteer disables the same
  // two features by default. Chromium reads only the last --disable-features, so this one repeats the
  // features playwright-core's own (earlier) argument disables.
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'].join(',')}`,
];

function chromiumPath(): string {
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    if (found.length > 0) return found;
  } catch {
    // fall through to the error below
  }
  throw new Error(
    'test/browser/harness.ts: `which chromium` found nothing; install it with `apt-get install -y chromium`',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForServer(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`test/browser/harness.ts: vite preview exited with ${child.exitCode}:\n${output()}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `test/browser/harness.ts: vite preview did not answer at ${url} within ${timeoutMs} ms:\n${output()}`,
  );
}

/** A console message or uncaught page error that a clean page must not produce. */
export interface ConsoleProblem {
  type: string;
  text: string;
}

export interface BrowserSession {
  baseUrl: string;
  browser: Browser;
  /** A new page in its own context, recording console errors and warnings into `problems`. */
  newPage(options?: BrowserContextOptions): Promise<{ page: Page; problems: ConsoleProblem[] }>;
  close(): Promise<void>;
}

/** Starts the preview server and the browser; call close() in afterAll. */
export async function openBrowserSession(): Promise<BrowserSession> {
  // WEB_DIST serves another build (e.g. one made with --outDir elsewhere), so that two people testing
  // in one working tree do not rebuild web/dist under each other's feet.
  const distDir = resolve(REPO_ROOT, process.env.WEB_DIST ?? join('web', 'dist'));
  const dist = join(distDir, 'index.html');
  if (!existsSync(dist)) {
    throw new Error(
      `test/browser/harness.ts: ${dist} is missing; build the page first with \`npx vite build --config web/vite.config.ts\``,
    );
  }
  const port = await freePort();
  const viteBin = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const server = spawn(
    process.execPath,
    [
      viteBin,
      'preview',
      '--config',
      'web/vite.config.ts',
      '--outDir',
      distDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: undefined } },
  );
  let log = '';
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}/`;
  let browser: Browser | undefined;
  try {
    await waitForServer(baseUrl, server, () => log);
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
  } catch (error) {
    server.kill();
    throw error;
  }
  const opened = browser;
  return {
    baseUrl,
    browser: opened,
    async newPage(options = {}) {
      const context = await opened.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      const page = await context.newPage();
      const problems: ConsoleProblem[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push({ type: message.type(), text: message.text() });
        }
      });
      page.on('pageerror', (error) => problems.push({ type: 'pageerror', text: error.message }));
      return { page, problems };
    },
    async close() {
      await opened.close();
      server.kill();
    },
  };
}

/** Saves a PNG atomically (temporary file, then rename) and returns its path. */
export function saveImage(path: string, png: Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, png);
  renameSync(temporary, path);
  return path;
}

export function screenshotPath(name: string): string {
  return join(SCREENSHOT_DIR, `${name}.png`);
}
