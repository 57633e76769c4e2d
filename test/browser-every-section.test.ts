// Browser tests that read every section of the BUILT page (web/dist) at once: figures drawn, a hostile
// hash, axe, and a phone-width screen.
import { describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import { saveImage, screenshotPath } from './browser/harness.js';
import { useBrowser, points, seriesPath } from './browser/figures.js';

const { open } = useBrowser();

describe('every section of the built page', () => {
  it('draw non-empty figures with filled contours, and no console errors or warnings', async () => {
    const { page, problems } = await open();
    for (const id of ['flaw', 'sparse', 'fixing']) {
      expect(await page.locator(`#${id} svg.landscape-svg path.contour`).count()).toBeGreaterThan(5);
    }
    // Every landscape the page shows at load was contoured by the build (web/contours-prerender.ts).
    const sources = await page
      .locator('figure.landscape-panel')
      .evaluateAll((panels) =>
        panels.map((p) => `${p.closest('section')?.id}:${(p as HTMLElement).dataset.contours}`),
      );
    expect(sources).toHaveLength(9);
    for (const source of sources) expect(source).toMatch(/:build$/);
    expect(points(await seriesPath(page, 'flaw', 'adagrad')).length).toBeGreaterThan(100);
    expect(points(await seriesPath(page, 'flaw', 'x', 'line-chart')).length).toBeGreaterThan(100);
    expect(points(await seriesPath(page, 'sparse', 'sgd')).length).toBeGreaterThan(100);
    expect(points(await seriesPath(page, 'sparse', 'y', 'line-chart')).length).toBeGreaterThan(10);
    for (const optimizer of ['adagrad', 'rmsprop', 'adadelta', 'adam']) {
      expect(points(await seriesPath(page, 'fixing', optimizer)).length).toBeGreaterThan(100);
    }
    // The update as the reader met it comes first; the exact kernel is one click away.
    await expect(page.locator('#implementation pre code').first().textContent()).resolves.toMatch(
      /^(\/\/.*\n)*export function adagradStep\(/,
    );
    await expect(page.locator('#implementation details pre code').first().textContent()).resolves.toMatch(
      /^(\/\/.*\n)*function adagradDense\(/,
    );
    await expect(page.locator('#implementation details figcaption').first().textContent()).resolves.toMatch(
      /^src\/kernels\/reference\.ts:\d+/,
    );
    await expect(page.locator('#flaw .live-caption').textContent()).resolves.toMatch(/After 400 steps/);
    expect(problems).toEqual([]);
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

  it('has no serious or critical axe violations in these sections', async () => {
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
    // axe reads every node of the page: on a loaded machine that takes longer than the default.
  }, 120_000);

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
    saveImage(screenshotPath('phone-sparse'), await phone.page.locator('#sparse').screenshot());
    await phone.page.context().close();
    const { page } = await open();
    for (const id of ['flaw', 'sparse', 'implementation', 'fixing']) {
      saveImage(screenshotPath(`section-${id}`), await page.locator(`#${id}`).screenshot());
    }
    await page.context().close();
  });

  it('on a 390 px phone, no element reaches past the screen, and every box that scrolls shows that it does', async () => {
    const { page, problems } = await open('', {
      reducedMotion: 'reduce',
      viewport: { width: 390, height: 844 },
    });
    // Scroll through, so that figures drawn when first on screen are drawn.
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 700) {
        window.scrollTo(0, y);
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    const report = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const scrolls = (node: Element): boolean =>
        ['auto', 'scroll'].includes(getComputedStyle(node).overflowX);
      const outside: string[] = [];
      for (const node of document.querySelectorAll('body *')) {
        // The skip link waits off screen until it is focused.
        if (node.closest('.skip-link') !== null) continue;
        const box = node.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.left >= -0.5 && box.right <= width + 0.5) continue;
        // Inside a box that scrolls (and itself fits), the reader scrolls to it.
        let ancestor = node.parentElement;
        let inScroller = false;
        while (ancestor !== null && !inScroller) {
          inScroller = scrolls(ancestor) && ancestor.getBoundingClientRect().right <= width + 0.5;
          ancestor = ancestor.parentElement;
        }
        if (!inScroller) {
          outside.push(
            `${node.tagName.toLowerCase()}.${node.getAttribute('class') ?? ''} in #${node.closest('section')?.id}`,
          );
        }
      }
      const overflowing = [...document.querySelectorAll('body *')].filter(
        (node) => scrolls(node) && node.scrollWidth > node.clientWidth + 1,
      );
      const withoutCue = overflowing
        .filter((node) => !getComputedStyle(node).backgroundImage.includes('gradient'))
        .map(
          (node) =>
            `${node.tagName.toLowerCase()}.${node.getAttribute('class') ?? ''} in #${node.closest('section')?.id}`,
        );
      return {
        outside,
        withoutCue,
        overflowingFormulas: overflowing.filter((n) => n.matches('.formula')).length,
        pageOverflow: document.documentElement.scrollWidth - width,
      };
    });
    expect(report.pageOverflow).toBeLessThanOrEqual(0);
    expect(report.outside).toEqual([]);
    // The code blocks may scroll sideways, with a shadow at the edge that has more; formulas break
    // into lines instead.
    expect(report.withoutCue).toEqual([]);
    expect(report.overflowingFormulas).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
