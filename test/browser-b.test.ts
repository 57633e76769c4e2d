// Browser tests of sections 4-6 (flaw, sparse, implementation, fixing) against the BUILT page
// (web/dist): build first with `npx vite build --config web/vite.config.ts`. One browser for the file.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserSession, saveImage, screenshotPath, type BrowserSession } from './browser/harness.js';

let session: BrowserSession;

beforeAll(async () => {
  session = await openBrowserSession();
});

afterAll(async () => {
  await session?.close();
});

async function open(
  hash = '',
  options: Parameters<BrowserSession['newPage']>[0] = { reducedMotion: 'reduce' },
) {
  const opened = await session.newPage(options);
  await opened.page.goto(`${session.baseUrl}${hash}`);
  await opened.page.waitForSelector('html[data-ready="true"]');
  return opened;
}

/** The d attribute of a series' path inside a section's figure ('' when absent). */
async function seriesPath(
  page: Page,
  section: string,
  series: string,
  figureClass = 'b-panel',
): Promise<string> {
  const path = page.locator(`#${section} svg.${figureClass} path[data-series="${series}"]`).first();
  return (await path.count()) === 0 ? '' : ((await path.getAttribute('d')) ?? '');
}

/** The points of an SVG path's d attribute ("M x,y L x,y ..."), as numbers. */
function points(d: string): Array<[number, number]> {
  return [...d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Moves a native range input by keyboard (focus, then arrow keys), as a reader would. */
async function pressOn(page: Page, selector: string, key: string, times = 1): Promise<void> {
  await page.locator(selector).focus();
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

describe('sections 4-6 on the built page', () => {
  it('draw non-empty figures with filled contours, and no console errors or warnings', async () => {
    const { page, problems } = await open();
    for (const id of ['flaw', 'sparse', 'fixing']) {
      expect(await page.locator(`#${id} svg.b-panel .b-contours path`).count()).toBeGreaterThan(5);
    }
    expect(points(await seriesPath(page, 'flaw', 'adagrad')).length).toBeGreaterThan(100);
    expect(points(await seriesPath(page, 'flaw', 'x', 'b-chart')).length).toBeGreaterThan(100);
    expect(points(await seriesPath(page, 'sparse', 'sgd')).length).toBeGreaterThan(100);
    expect(points(await seriesPath(page, 'sparse', 'y', 'b-chart')).length).toBeGreaterThan(10);
    for (const optimizer of ['adagrad', 'rmsprop', 'adadelta', 'adam']) {
      expect(points(await seriesPath(page, 'fixing', optimizer)).length).toBeGreaterThan(100);
    }
    await expect(page.locator('#implementation pre code').first().textContent()).resolves.toMatch(
      /^(\/\/.*\n)*function adagradDense\(/,
    );
    await expect(page.locator('#implementation figcaption').first().textContent()).resolves.toMatch(
      /^src\/kernels\/reference\.ts:\d+/,
    );
    await expect(page.locator('#flaw .b-caption').textContent()).resolves.toMatch(/After 400 steps/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the p slider changes the sparse demo, and the URL keeps p', async () => {
    const { page, problems } = await open();
    const before = await seriesPath(page, 'sparse', 'adagrad');
    const captionBefore = await page.locator('#sparse .b-caption').textContent();
    await pressOn(page, '#sparse input[data-param="s.p"]', 'ArrowLeft', 4);
    await page.waitForFunction(() => location.hash.includes('s.p=60'));
    expect(await seriesPath(page, 'sparse', 'adagrad')).not.toBe(before);
    expect(await page.locator('#sparse .b-caption').textContent()).not.toBe(captionBefore);
    await expect(page.locator('#sparse label', { hasText: 'p, the chance' }).textContent()).resolves.toMatch(
      /0\.60$/,
    );
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a shared URL reproduces the sparse run: same p and seed, same path', async () => {
    const first = await open('#s.p=50&s.seed=12345&s.land=valley');
    const d1 = await seriesPath(first.page, 'sparse', 'adagrad');
    await first.page.context().close();
    const second = await open('#s.seed=12345&s.land=valley&s.p=50');
    expect(await seriesPath(second.page, 'sparse', 'adagrad')).toBe(d1);
    await expect(second.page.locator('#sparse input[type="number"]').inputValue()).resolves.toBe('12345');
    const other = await open('#s.p=50&s.seed=2&s.land=valley');
    expect(await seriesPath(other.page, 'sparse', 'adagrad')).not.toBe(d1);
    await second.page.context().close();
    await other.page.context().close();
  });

  it('trains SGD and AdaGrad in the browser: two loss curves that go down', async () => {
    const { page, problems } = await open();
    // The messages are fetched when the section comes into view; the status line then counts them.
    await page.locator('#implementation').scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      /Press Train to run one pass over the 500 messages/.test(
        document.querySelector('#implementation .b-status')?.textContent ?? '',
      ),
    );
    await page.locator('#implementation [data-action="train"]').click();
    // Reduced motion: the whole pass is drawn at once.
    await page.waitForFunction(() =>
      /SGD: 500 of 500 .* AdaGrad: 500 of 500/.test(
        document.querySelector('#implementation .b-status')?.textContent ?? '',
      ),
    );
    for (const kind of ['sgd', 'adagrad']) {
      const curve = points(await seriesPath(page, 'implementation', kind, 'b-chart'));
      expect(curve.length).toBeGreaterThan(400);
      // SVG y grows downwards: a lower loss is a larger y. The end is well below the first 50 messages.
      expect(curve[curve.length - 1][1]).toBeGreaterThan(curve[50][1] + 10);
    }
    const status = (await page.locator('#implementation .b-status').textContent()) ?? '';
    const losses = [...status.matchAll(/average log loss ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(2);
    for (const loss of losses) expect(loss).toBeLessThan(Math.LN2);
    // AdaGrad, at its default rate, ends below SGD at its own: what the section's text claims.
    expect(losses[1]).toBeLessThan(losses[0]);
    saveImage(screenshotPath('b-implementation-trained'), await page.locator('#implementation').screenshot());
    await page.locator('#implementation [data-action="reset"]').click();
    expect(await seriesPath(page, 'implementation', 'sgd', 'b-chart')).toBe('');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('animates the training in chunks when motion is allowed, ending at the same curves', async () => {
    const { page } = await open('', {});
    await page.locator('#implementation [data-action="train"]').click();
    await page.waitForFunction(() =>
      /SGD: [1-9]\d* of 500/.test(document.querySelector('#implementation .b-status')?.textContent ?? ''),
    );
    const partial = (await page.locator('#implementation .b-status').textContent()) ?? '';
    expect(partial).not.toMatch(/SGD: 500 of 500/);
    await page.waitForFunction(
      () =>
        (document.querySelector('#implementation .b-status')?.textContent ?? '').split('500 of 500')
          .length === 3,
      undefined,
      { timeout: 20_000 },
    );
    const animated = await seriesPath(page, 'implementation', 'adagrad', 'b-chart');
    await page.context().close();
    const still = await open();
    await still.page.locator('#implementation [data-action="train"]').click();
    // Training waits for the messages, fetched when the section came into view.
    await still.page.waitForFunction(() =>
      /AdaGrad: 500 of 500/.test(document.querySelector('#implementation .b-status')?.textContent ?? ''),
    );
    expect(await seriesPath(still.page, 'implementation', 'adagrad', 'b-chart')).toBe(animated);
    await still.page.context().close();
  });

  it('the optimizer toggles and the landscape picker change the race', async () => {
    const { page, problems } = await open();
    expect(await seriesPath(page, 'fixing', 'adam')).not.toBe('');
    await page.locator('#fixing input[type="checkbox"][value="adam"]').uncheck();
    await page.waitForFunction(() => location.hash.includes('x.show='));
    expect(await seriesPath(page, 'fixing', 'adam')).toBe('');
    expect(await page.locator('#fixing .b-caption').textContent()).not.toMatch(/Adam/);

    const valleyPath = await seriesPath(page, 'fixing', 'adagrad');
    const contours = () =>
      page
        .locator('#fixing .b-contours path')
        .evaluateAll((paths) => paths.map((p) => p.getAttribute('d')).join());
    const valleyContours = await contours();
    await page.locator('#fixing select').selectOption('rotated');
    await page.waitForFunction(() => location.hash.includes('x.land=rotated'));
    expect(await seriesPath(page, 'fixing', 'adagrad')).not.toBe(valleyPath);
    expect(await contours()).not.toBe(valleyContours);
    await expect(page.locator('#fixing .b-caption').textContent()).resolves.toMatch(
      /Where diagonal AdaGrad struggles/,
    );
    await page.locator('#fixing select').selectOption('rosenbrock');
    await expect(page.locator('#fixing .b-landscape-description').textContent()).resolves.toMatch(
      /Rosenbrock/,
    );
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('animates the race when motion is allowed and ends on the same paths as reduced motion', async () => {
    const still = await open('#x.land=himmelblau');
    const finished = await seriesPath(still.page, 'fixing', 'adam');
    await still.page.context().close();
    const { page } = await open('#x.land=himmelblau', {});
    // Unseen at load, the race is drawn finished; the first time it is on screen, it runs from the start.
    expect(await seriesPath(page, 'fixing', 'adam')).toBe(finished);
    await page.locator('#fixing svg.b-panel').scrollIntoViewIfNeeded();
    await page.waitForFunction(
      (n) =>
        (
          document.querySelector('#fixing svg.b-panel path[data-series="adam"]')?.getAttribute('d') ?? ''
        ).split('L').length < n,
      points(finished).length,
      { timeout: 5_000 },
    );
    await page.waitForFunction(
      (d) => document.querySelector('#fixing svg.b-panel path[data-series="adam"]')?.getAttribute('d') === d,
      finished,
      { timeout: 10_000 },
    );
    // Replay runs it again.
    await page.locator('#fixing [data-action="replay"]').click();
    const early = points(await seriesPath(page, 'fixing', 'adam')).length;
    expect(early).toBeLessThan(points(finished).length);
    await page.waitForFunction(
      (d) => document.querySelector('#fixing svg.b-panel path[data-series="adam"]')?.getAttribute('d') === d,
      finished,
      { timeout: 10_000 },
    );
    await page.context().close();
  });

  it('the flaw lr slider works by keyboard and its label follows the value', async () => {
    const { page } = await open();
    const before = await seriesPath(page, 'flaw', 'adagrad');
    const label = page.locator('#flaw label', { hasText: 'Base learning rate' });
    await expect(label.textContent()).resolves.toMatch(/: 0\.5$/);
    await pressOn(page, `#${await label.getAttribute('for')}`, 'ArrowRight');
    await expect(label.textContent()).resolves.toMatch(/: 0\.7$/);
    await page.waitForFunction(() => location.hash.includes('f.lr=0.7'));
    expect(await seriesPath(page, 'flaw', 'adagrad')).not.toBe(before);
    await page.context().close();
  });

  it('a hostile hash for these sections falls back to defaults and never reaches the DOM', async () => {
    const { page, problems } = await open(
      `#f.lr=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&s.p=1e308&s.seed=-4&x.land=%3Cscript%3E&x.show=adam,evil&i.sgd=NaN`,
    );
    expect(
      await page
        .locator('#flaw img, #sparse img, #fixing img, #implementation img, script:not([src])')
        .count(),
    ).toBe(0);
    await expect(
      page.locator('#flaw label', { hasText: 'Base learning rate' }).textContent(),
    ).resolves.toMatch(/: 0\.5$/);
    await expect(page.locator('#fixing select').inputValue()).resolves.toBe('valley');
    expect(await page.locator('#fixing input[type="checkbox"]:checked').count()).toBe(4);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a diverging path with a label instead of hiding it', async () => {
    const { page } = await open('#x.scale=10&x.land=beale');
    await expect(page.locator('#fixing text.b-escape').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#fixing text.b-escape').first().textContent()).resolves.toMatch(
      /diverged|left the view/,
    );
    await page.context().close();
  });

  it('has no serious or critical axe violations in sections 4-6', async () => {
    const { page } = await open();
    const results = await new AxeBuilder({ page })
      .include('#flaw')
      .include('#sparse')
      .include('#implementation')
      .include('#fixing')
      .analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.context().close();
  });

  it('fits a phone-width screen and saves screenshots of each section', async () => {
    const phone = await open('', { reducedMotion: 'reduce', viewport: { width: 375, height: 800 } });
    const { page: small } = phone;
    expect(
      await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    for (const id of ['flaw', 'sparse', 'implementation', 'fixing']) {
      // Every figure fits the screen (the code blocks scroll inside themselves).
      const widest = await small
        .locator(`#${id} svg, #${id} pre`)
        .evaluateAll((nodes) => Math.max(...nodes.map((n) => n.getBoundingClientRect().right)));
      expect(widest, `#${id} has a figure wider than a phone screen`).toBeLessThanOrEqual(375);
    }
    saveImage(screenshotPath('b-phone-sparse'), await phone.page.locator('#sparse').screenshot());
    await phone.page.context().close();
    const { page } = await open();
    for (const id of ['flaw', 'sparse', 'implementation', 'fixing']) {
      saveImage(screenshotPath(`b-${id}`), await page.locator(`#${id}`).screenshot());
    }
    await page.context().close();
  });
});
