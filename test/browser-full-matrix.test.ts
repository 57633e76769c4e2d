// Browser tests of "Beyond the diagonal" (full-matrix AdaGrad) and of its toggle in the race, on the
// BUILT page (web/dist).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserSession, saveImage, screenshotPath, type BrowserSession } from './browser/harness.js';
import { openPage, points, seriesPath } from './browser/figures.js';

let session: BrowserSession;
const open = (...args: Parameters<typeof openPage> extends [unknown, ...infer Rest] ? Rest : never) =>
  openPage(session, ...args);

beforeAll(async () => {
  session = await openBrowserSession();
});

afterAll(async () => {
  await session?.close();
});

/** The rotation of each drawn step ellipse, in degrees (from its transform), by colour variable. */
async function ellipseAngles(page: Page): Promise<Record<string, number>> {
  return page.locator('#full-matrix ellipse.step-ellipse').evaluateAll((nodes) =>
    Object.fromEntries(
      nodes.map((n) => {
        const rotate = /rotate\((-?[\d.e+-]+)\)/.exec(n.getAttribute('transform') ?? '');
        const rx = Number(n.getAttribute('rx'));
        const ry = Number(n.getAttribute('ry'));
        // The long axis: rx's direction, or across it.
        const angle = Number(rotate?.[1] ?? 0) + (rx >= ry ? 0 : 90);
        return [(n as SVGElement).style.stroke, ((angle % 180) + 180) % 180];
      }),
    ),
  );
}

describe('Beyond the diagonal on the built page', () => {
  it('draws both paths from one start, each with its step ellipse, and no console problems', async () => {
    const { page, problems } = await open();
    expect(await page.locator('#full-matrix svg.landscape-svg path.contour').count()).toBeGreaterThan(5);
    expect(points(await seriesPath(page, 'full-matrix', 'adagrad'))).toHaveLength(61);
    expect(points(await seriesPath(page, 'full-matrix', 'full-matrix'))).toHaveLength(61);
    expect(points(await seriesPath(page, 'full-matrix', 'adagrad'))[0]).toEqual(
      points(await seriesPath(page, 'full-matrix', 'full-matrix'))[0],
    );
    const angles = await ellipseAngles(page);
    // The diagonal ellipse is axis-aligned; the full-matrix one lies along the valley's floor, which
    // the panel's scales (x and y differ) turn to atan(sy/sx) on screen: the SVG rotation is in data units.
    expect([0, 90]).toContain(Math.round(angles['var(--adagrad)']));
    expect(Math.abs(angles['var(--full-matrix)'] - 45)).toBeLessThan(6);
    await expect(page.locator('#full-matrix figcaption[aria-live]').textContent()).resolves.toMatch(
      /^After 60 of 60 steps: f − f\* is .+ for diagonal AdaGrad and .+ for full-matrix AdaGrad\./,
    );
    await expect(page.locator('#full-matrix').textContent()).resolves.toMatch(
      /Shampoo \(Gupta, Koren and Singer, 2018\)/,
    );
    expect(problems).toEqual([]);
    saveImage(screenshotPath('full-matrix'), await page.locator('#full-matrix').screenshot());
    await page.context().close();
  });

  it('moves the shared start by dragging and by the arrow keys, and keeps it in the URL', async () => {
    const { page, problems } = await open();
    const diagonalBefore = await seriesPath(page, 'full-matrix', 'adagrad');
    const fullBefore = await seriesPath(page, 'full-matrix', 'full-matrix');
    const handle = page.locator('#full-matrix .start-handle');
    await handle.scrollIntoViewIfNeeded();
    const box = await handle.boundingBox();
    if (box === null) throw new Error('start handle not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    const recompute: number[] = [];
    for (let k = 1; k <= 6; k++) {
      await page.mouse.move(box.x + box.width / 2 + 8 * k, box.y + box.height / 2 - 5 * k);
      recompute.push(Number(await page.locator('#full-matrix').getAttribute('data-recompute-ms')));
    }
    await page.mouse.up();
    // Measured, not asserted: both runs (60 steps each, one 2×2 eigendecomposition per step) per drag step.
    console.log('full-matrix recompute per drag step (ms)', JSON.stringify(recompute));
    const diagonalDragged = await seriesPath(page, 'full-matrix', 'adagrad');
    expect(diagonalDragged).not.toBe(diagonalBefore);
    expect(await seriesPath(page, 'full-matrix', 'full-matrix')).not.toBe(fullBefore);
    await page.waitForFunction(() => /fm\.start=-?\d/.test(location.hash));
    await handle.focus();
    await page.keyboard.press('ArrowLeft');
    expect(await seriesPath(page, 'full-matrix', 'adagrad')).not.toBe(diagonalDragged);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('opens at the start a link carries, and ignores a hostile one', async () => {
    const { page } = await open('#fm.start=2,-3');
    expect(points(await seriesPath(page, 'full-matrix', 'adagrad'))[0]).toEqual(
      points(await seriesPath(page, 'full-matrix', 'full-matrix'))[0],
    );
    await expect(page.locator('#full-matrix .start-handle').getAttribute('aria-label')).resolves.toMatch(
      /\(2, −?-?3\)/,
    );
    await page.context().close();
    const hostile = await open('#fm.start=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
    await expect(
      hostile.page.locator('#full-matrix .start-handle').getAttribute('aria-label'),
    ).resolves.toMatch(/\(−?-?7, −?-?5\)/);
    expect(await hostile.page.locator('#full-matrix img').count()).toBe(0);
    expect(hostile.problems).toEqual([]);
    await hostile.page.context().close();
  });

  it('joins the race as a toggle: off at load, ticked it runs and the URL keeps it', async () => {
    const { page, problems } = await open('#x.land=rotated');
    const toggle = page.locator('#fixing input[type="checkbox"][value="fullMatrix"]');
    expect(await toggle.isChecked()).toBe(false);
    expect(await seriesPath(page, 'fixing', 'fullMatrix')).toBe('');
    await toggle.check();
    await page.waitForFunction(() => location.hash.includes('fullMatrix'));
    expect(points(await seriesPath(page, 'fixing', 'fullMatrix')).length).toBeGreaterThan(100);
    await expect(page.locator('#fixing .live-caption').textContent()).resolves.toMatch(
      /Full-matrix AdaGrad, whose steps turn with the valley, ends at f − f\* = /,
    );
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('has no serious or critical axe violations and fits a phone screen', async () => {
    const { page } = await open();
    const results = await new AxeBuilder({ page }).include('#full-matrix').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.context().close();
    const phone = await open('', { reducedMotion: 'reduce', viewport: { width: 390, height: 800 } });
    expect(
      await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    // Every element, figures and formulas included (an SVG clips what it draws, and KaTeX's MathML copy
    // for screen readers is clipped away).
    const widest = await phone.page
      .locator('#full-matrix *:not(svg *, .katex-mathml, .katex-mathml *)')
      .evaluateAll((nodes) => Math.max(...nodes.map((n) => n.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(390);
    await phone.page.context().close();
    // axe reads every node of the section: on a loaded 2-core machine that takes longer than the default.
  }, 90_000);
});
