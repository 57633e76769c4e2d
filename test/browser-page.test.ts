// Browser tests of the page shell, the opening and Layers 1-2 (valley, accumulator) on the BUILT page
// (web/dist): build first with `npx vite build --config web/vite.config.ts`. One browser for the whole
// file, and one shared page (reduced motion, default state at first) for the tests that only compare
// before and after.
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  openBrowserSession,
  saveImage,
  screenshotPath,
  type BrowserSession,
  type ConsoleProblem,
} from './browser/harness.js';

const VALLEY_STEPS = 100;
const SECTIONS = [
  'opening',
  'valley',
  'accumulator',
  'flaw',
  'sparse',
  'implementation',
  'recap',
  'fixing',
  'full-matrix',
  'l1-sparsity',
];

let session: BrowserSession;
let shared: { page: Page; problems: ConsoleProblem[] };
const measured: Record<string, unknown> = {};
let defaultSgdPath = '';

async function open(
  hash = '',
  options: Parameters<BrowserSession['newPage']>[0] = { reducedMotion: 'reduce' },
) {
  const opened = await session.newPage(options);
  await opened.page.goto(`${session.baseUrl}${hash}`);
  await opened.page.waitForSelector('html[data-ready="true"]');
  return opened;
}

beforeAll(async () => {
  session = await openBrowserSession();
  shared = await session.newPage({ reducedMotion: 'reduce' });
});

afterAll(async () => {
  // Measured, not asserted (no timed tests): kept as an artifact for the report.
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  const target = join(REPO_ROOT, 'test-results', 'valley-timings.json');
  writeFileSync(`${target}.${process.pid}.tmp`, JSON.stringify(measured, null, 2));
  renameSync(`${target}.${process.pid}.tmp`, target);
  await session?.close();
});

const panel = (page: Page, section: string, optimizer: string) =>
  page.locator(`#${section} figure.landscape-panel[data-optimizer="${optimizer}"]`);

async function pathData(page: Page, section: string, optimizer: string): Promise<string> {
  return (await panel(page, section, optimizer).locator('path.trajectory').getAttribute('d')) ?? '';
}

/** Points in an SVG path's d attribute ("M..L..L.."). */
function pointCount(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}

const valleySlider = (page: Page, name: 'SGD' | 'AdaGrad') =>
  page.locator('#valley').getByLabel(new RegExp(`^${name} learning rate`));

describe('the built page', () => {
  it('loads and draws every figure, with no console errors or warnings', async () => {
    const { page, problems } = shared;
    const started = Date.now();
    await page.goto(session.baseUrl);
    await page.waitForSelector('html[data-ready="true"]');
    await page.waitForFunction(() => document.querySelectorAll('#valley path.contour').length > 5);
    measured.loadMs = Date.now() - started;
    measured.navigationToReadyMs = Number(
      await page.evaluate(() => document.documentElement.dataset.readyMs),
    );
    measured.mountMs = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('main > section')].map((s) => [
          s.id,
          Number(s.dataset.mountMs),
        ]),
      ),
    );
    console.log('load timings', JSON.stringify(measured));

    const headings = await page.locator('h1, h2').allTextContents();
    expect(headings[0]).toMatch(/AdaGrad/);
    expect(headings.length).toBeGreaterThanOrEqual(SECTIONS.length + 1);
    for (const id of SECTIONS) {
      expect(await page.locator(`#${id}`).getAttribute('data-mounted')).toBe('true');
    }
    // Scroll through the whole page so that anything drawn lazily is drawn, then check the console.
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => requestAnimationFrame(r));
      }
      window.scrollTo(0, 0);
    });
    await page.waitForTimeout(200);
    expect(problems).toEqual([]);
  });

  it('loads lean: fonts preloaded, load marks in order, contour paths without redundant points', async () => {
    // Not timed (timings are bench/page-load.ts's job): what keeps the load fast, checked exactly.
    const { page } = shared;
    const facts = await page.evaluate(() => {
      const data = document.documentElement.dataset;
      const fonts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) =>
        /\.(woff2?|ttf)$/.test(r.name),
      );
      return {
        scriptStartMs: Number(data.scriptStartMs),
        readyMs: Number(data.readyMs),
        mountMs: [...document.querySelectorAll<HTMLElement>('main > section')].map((s) =>
          Number(s.dataset.mountMs),
        ),
        preloaded: [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="font"]')].map(
          (l) => l.href,
        ),
        fetchedFonts: fonts.map((r) => r.name),
        contourPathChars: [...document.querySelectorAll('path.contour')].reduce(
          (sum, p) => sum + (p.getAttribute('d') ?? '').length,
          0,
        ),
      };
    });
    // Every font the first paint fetched was preloaded (so no second layout when it arrives), and
    // every preload was fetched (an unused one would be a console warning and a wasted request).
    expect(facts.preloaded.length).toBeGreaterThan(0);
    expect([...facts.fetchedFonts].sort()).toEqual([...facts.preloaded].sort());
    expect(facts.scriptStartMs).toBeGreaterThan(0);
    expect(facts.scriptStartMs).toBeLessThanOrEqual(facts.readyMs);
    expect(facts.mountMs).toHaveLength(SECTIONS.length);
    for (const ms of facts.mountMs) expect(ms).toBeGreaterThanOrEqual(0);
    // The sections mount one after another between the two marks.
    const mounted = facts.mountMs.reduce((a, b) => a + b, 0);
    expect(mounted).toBeLessThanOrEqual(facts.readyMs - facts.scriptStartMs + SECTIONS.length);
    // 530 000 characters of contour path data before their straight runs were dropped and the grids
    // made coarser; about 200 000 after. The browser parses and lays out every one on load.
    expect(facts.contourPathChars).toBeGreaterThan(50_000);
    expect(facts.contourPathChars).toBeLessThan(320_000);
  });

  it('renders non-empty figures in the opening and Layers 1-2', async () => {
    const { page } = shared;
    for (const optimizer of ['sgd', 'adagrad']) {
      expect(await panel(page, 'valley', optimizer).locator('path.contour').count()).toBeGreaterThan(5);
      expect(pointCount(await pathData(page, 'valley', optimizer))).toBeGreaterThan(50);
    }
    defaultSgdPath = await pathData(page, 'valley', 'sgd');
    expect(await page.locator('#valley .katex').count()).toBeGreaterThan(5);
    expect(await page.locator('#valley .legend-value').first().textContent()).toMatch(/\(/);
    expect(await page.locator('#accumulator path.contour').count()).toBeGreaterThan(5);
    expect(await page.locator('#accumulator .square-total').count()).toBe(2);
    expect(await page.locator('#opening .timeline li').count()).toBeGreaterThanOrEqual(3);
  });

  it('draws the finished path at once under reduced motion, and animates it when it comes into view otherwise', async () => {
    expect(await panel(shared.page, 'valley', 'sgd').getAttribute('data-steps')).toBe(String(VALLEY_STEPS));
    expect(await panel(shared.page, 'valley', 'adagrad').getAttribute('data-steps')).toBe(
      String(VALLEY_STEPS),
    );
    const animated = await open('', { reducedMotion: 'no-preference' });
    // Below the fold at load: drawn finished, not animating unseen.
    const sgdPanel = panel(animated.page, 'valley', 'sgd');
    expect(await sgdPanel.evaluate((node) => node.getBoundingClientRect().top > window.innerHeight)).toBe(
      true,
    );
    await animated.page.waitForTimeout(300);
    expect(await sgdPanel.getAttribute('data-steps')).toBe(String(VALLEY_STEPS));
    // Scrolled into view, it plays from the start.
    await sgdPanel.scrollIntoViewIfNeeded();
    await animated.page.waitForFunction(
      (n) =>
        Number(document.querySelector('#valley figure[data-optimizer="sgd"]')?.getAttribute('data-steps')) <
        n,
      VALLEY_STEPS,
      { timeout: 5_000 },
    );
    await animated.page.waitForFunction(
      (n) =>
        document.querySelector('#valley figure[data-optimizer="sgd"]')?.getAttribute('data-steps') ===
        String(n),
      VALLEY_STEPS,
      { timeout: 15_000 },
    );
    expect(animated.problems).toEqual([]);
    await animated.page.context().close();
  });

  it('has no serious or critical axe violations', async () => {
    const results = await new AxeBuilder({ page: shared.page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
    // Ten sections: axe alone takes ~35 s of a loaded 2-core machine.
  }, 120_000);

  it('saves screenshots of each section and of the whole page', async () => {
    const { page } = shared;
    for (const id of SECTIONS) {
      saveImage(screenshotPath(id), await page.locator(`#${id}`).screenshot());
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    saveImage(screenshotPath('top'), await page.screenshot({ fullPage: false }));
    saveImage(screenshotPath('page'), await page.screenshot({ fullPage: true }));
    // The README opens with the lesson's central figure: SGD and AdaGrad side by side on the valley.
    // Refreshed on request only (UPDATE_DOCS_SCREENSHOT=1 npx vitest run test/browser-page.test.ts):
    // a test run leaves the repository's own files as it found them.
    const valley = await page.locator('#valley').screenshot();
    saveImage(screenshotPath('readme-valley'), valley);
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1')
      saveImage(join(REPO_ROOT, 'docs', 'screenshot.png'), valley);
  }, 90_000);

  it('recomputes the path when the learning-rate slider moves', async () => {
    const { page } = shared;
    const before = await pathData(page, 'valley', 'sgd');
    const adagradBefore = await pathData(page, 'valley', 'adagrad');
    await valleySlider(page, 'SGD').fill('10');
    expect(await pathData(page, 'valley', 'sgd')).not.toBe(before);
    expect(await pathData(page, 'valley', 'adagrad')).toBe(adagradBefore);
    const timings: Array<{ recomputeMs: number; drawMs: number }> = [];
    for (const value of ['11', '12', '13', '14', '15', '16']) {
      await valleySlider(page, 'SGD').fill(value);
      timings.push(
        await page.evaluate(() => {
          const data = document.getElementById('valley')?.dataset;
          return { recomputeMs: Number(data?.recomputeMs), drawMs: Number(data?.drawMs) };
        }),
      );
    }
    measured.valleyInput = timings;
    console.log('valley recompute and redraw per input (ms)', JSON.stringify(timings));
  });

  it('operates a slider by keyboard: ArrowRight changes its value and its label', async () => {
    const { page } = shared;
    const slider = valleySlider(page, 'AdaGrad');
    const label = page.locator('#valley label', { hasText: 'AdaGrad learning rate' });
    const valueBefore = await slider.inputValue();
    const labelBefore = await label.textContent();
    const pathBefore = await pathData(page, 'valley', 'adagrad');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await slider.inputValue()).not.toBe(valueBefore);
    expect(await label.textContent()).not.toBe(labelBefore);
    expect(await pathData(page, 'valley', 'adagrad')).not.toBe(pathBefore);
  });

  it('dragging the start point with the mouse changes both paths and the URL', async () => {
    const { page } = shared;
    const sgdBefore = await pathData(page, 'valley', 'sgd');
    const adagradBefore = await pathData(page, 'valley', 'adagrad');
    const accumulatorBefore = await pathData(page, 'accumulator', 'adagrad');
    const handle = panel(page, 'valley', 'adagrad').locator('.start-handle');
    await handle.scrollIntoViewIfNeeded();
    const box = await handle.boundingBox();
    if (box === null) throw new Error('start handle not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    const dragTimings: number[] = [];
    for (let k = 1; k <= 6; k++) {
      await page.mouse.move(box.x + 10 * k, box.y + 4 * k);
      dragTimings.push(Number(await page.evaluate(() => document.documentElement.dataset.lastChangeMs)));
    }
    await page.mouse.up();
    // Measured, not asserted: every section's redraw for one drag step, summed.
    measured.dragStepWholePageMs = dragTimings;
    console.log('whole-page redraw per drag step (ms)', JSON.stringify(dragTimings));
    expect(await pathData(page, 'valley', 'sgd')).not.toBe(sgdBefore);
    expect(await pathData(page, 'valley', 'adagrad')).not.toBe(adagradBefore);
    // The accumulator section follows the same run.
    expect(await pathData(page, 'accumulator', 'adagrad')).not.toBe(accumulatorBefore);
    await page.waitForFunction(() => /v\.start=-?\d/.test(location.hash));
  });

  it('shares one learning rate between the panels when asked', async () => {
    const { page } = shared;
    const before = await pathData(page, 'valley', 'adagrad');
    await page.locator('#valley').getByLabel('Give AdaGrad the same learning rate as SGD').check();
    expect(await pathData(page, 'valley', 'adagrad')).not.toBe(before);
    const sgdLabel = await page.locator('#valley label', { hasText: 'SGD learning rate' }).textContent();
    const adagradLabel = await page
      .locator('#valley label', { hasText: 'AdaGrad learning rate' })
      .textContent();
    expect(adagradLabel?.replace('AdaGrad', '')).toBe(sgdLabel?.replace('SGD', ''));
    expect(await valleySlider(page, 'AdaGrad').isDisabled()).toBe(true);
    await page.locator('#valley').getByLabel('Give AdaGrad the same learning rate as SGD').uncheck();
    expect(await pathData(page, 'valley', 'adagrad')).toBe(before);
  });

  it('moves the start point with the arrow keys too', async () => {
    const { page } = shared;
    const before = await pathData(page, 'valley', 'sgd');
    await panel(page, 'valley', 'sgd').locator('.start-handle').focus();
    await page.keyboard.press('ArrowUp');
    expect(await pathData(page, 'valley', 'sgd')).not.toBe(before);
  });

  it('walks the accumulator step by step with buttons and the keyboard', async () => {
    const { page } = shared;
    const section = page.locator('#accumulator');
    expect(await section.getAttribute('data-stage')).toBe('square');
    const captions = [await section.locator('.stage-title').textContent()];
    for (const stage of ['add', 'divide', 'step']) {
      await section.getByRole('button', { name: /Next stage/ }).click();
      expect(await section.getAttribute('data-stage')).toBe(stage);
      captions.push(await section.locator('.stage-title').textContent());
    }
    expect(new Set(captions).size).toBe(4);
    await section.getByRole('button', { name: /Next stage/ }).press('Enter');
    expect(await section.getAttribute('data-step')).toBe('1');
    expect(await section.getAttribute('data-stage')).toBe('square');
    await page.keyboard.press('ArrowLeft');
    expect(await section.getAttribute('data-stage')).toBe('step');
    // From stage "divide" on, the current step ellipse is drawn.
    expect(await section.locator('ellipse.step-ellipse.current').count()).toBe(1);
  });

  it('shows divergence with a label instead of hiding it (state set through the hash)', async () => {
    const { page } = shared;
    await page.evaluate(() => (location.hash = '#v.lrs=1'));
    const label = panel(page, 'valley', 'sgd').locator('.exit-label');
    await page.waitForFunction(
      () =>
        document.querySelector('#valley figure[data-optimizer="sgd"]')?.getAttribute('data-diverged') ===
        'true',
    );
    expect(await label.textContent()).toMatch(/diverged|left the view/);
    expect(await label.isVisible()).toBe(true);
    expect(await panel(page, 'valley', 'adagrad').locator('.exit-label').isVisible()).toBe(false);
  });

  it('a shared URL reproduces the same state', async () => {
    const { page } = shared;
    await valleySlider(page, 'SGD').fill('14');
    await valleySlider(page, 'AdaGrad').fill('19');
    await page
      .locator('#accumulator')
      .getByRole('button', { name: /Next stage/ })
      .click();
    await page.waitForFunction(
      () =>
        location.hash.includes('v.lrs=0.2') &&
        location.hash.includes('v.lra=1.5') &&
        location.hash.includes('a.stage=1'),
    );
    const url = page.url();
    const expected = {
      sgd: await pathData(page, 'valley', 'sgd'),
      adagrad: await pathData(page, 'valley', 'adagrad'),
      caption: await page.locator('#accumulator .stage-text').textContent(),
      stage: await page.locator('#accumulator').getAttribute('data-stage'),
    };
    const second = await open(url.slice(session.baseUrl.length));
    expect(await pathData(second.page, 'valley', 'sgd')).toBe(expected.sgd);
    expect(await pathData(second.page, 'valley', 'adagrad')).toBe(expected.adagrad);
    expect(await second.page.locator('#accumulator .stage-text').textContent()).toBe(expected.caption);
    expect(await second.page.locator('#accumulator').getAttribute('data-stage')).toBe(expected.stage);
    await second.page.context().close();
  });

  it('a hostile hash falls back to defaults and never reaches the DOM as markup', async () => {
    const hash =
      '#v.lrs=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&v.start=1e999,0&v.lra=NaN&a.t=-5&zz=%3Cscript%3Ealert(2)%3C/script%3E';
    const { page, problems } = await open(hash);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    expect(defaultSgdPath.length).toBeGreaterThan(0);
    expect(await pathData(page, 'valley', 'sgd')).toBe(defaultSgdPath);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.content()).not.toContain('alert(');
    expect(dialogs).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits a phone-width screen without horizontal overflow', async () => {
    const { page, problems } = await open('', {
      reducedMotion: 'reduce',
      viewport: { width: 375, height: 800 },
    });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    saveImage(screenshotPath('phone-valley'), await page.locator('#valley').screenshot());
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('stayed free of console errors and warnings through every interaction', () => {
    expect(shared.problems).toEqual([]);
  });
});
