// Browser tests of "AdaGrad that makes zeros" (FTRL-Proximal and ℓ1-AdaGrad on the spam sample), on the
// BUILT page (web/dist).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatValue } from '../web/figures/format.js';
import type { LabelledMessage } from '../web/lib/spam-sample.js';
import {
  SparseModels,
  splitSample,
  SWEEP_LAMBDAS,
  sweepCaption,
  sweepCurves,
} from '../web/sections/l1-sparsity/model.js';
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

/** Scrolls the figure into view and waits until the learners have trained. */
async function trained(page: Page): Promise<void> {
  await page.locator('#l1-sparsity .sparsity-figure').scrollIntoViewIfNeeded();
  await page.waitForSelector('#l1-sparsity[data-trained="true"]');
}

/** Scrolls the sweep into view and waits until every λ of it has been trained. */
async function swept(page: Page): Promise<void> {
  await page.locator('#l1-sparsity svg.line-chart').first().scrollIntoViewIfNeeded();
  await page.waitForSelector('#l1-sparsity[data-swept="true"]', { timeout: 20_000 });
}

/** Where the sweep charts mark the slider's λ: its value and the marker's x in the first chart. */
async function marker(page: Page): Promise<{ lambda: number; x: number; label: string }> {
  const mark = page.locator('#l1-sparsity .chart-marker').first();
  return {
    lambda: Number(await mark.getAttribute('data-x')),
    x: Number(await mark.locator('line').getAttribute('x1')),
    label: (await mark.locator('text').textContent()) ?? '',
  };
}

const nonzeros = (page: Page, learner: string) =>
  page.locator(`#l1-sparsity tr[data-learner="${learner}"] td`).first().textContent();

describe('AdaGrad that makes zeros on the built page', () => {
  it('trains both learners when on screen: nonzeros, accuracy and the surviving words', async () => {
    const { page, problems } = await open();
    await trained(page);
    // The model test's numbers, now computed in the browser by the same library.
    await expect(nonzeros(page, 'ftrl')).resolves.toMatch(/^127 of 4,510 words/);
    await expect(nonzeros(page, 'adagrad')).resolves.toMatch(/^710 of 4,510 words/);
    await expect(page.locator('#l1-sparsity .sparsity-figure figcaption').textContent()).resolves.toMatch(
      /^At λ = 0\.5: FTRL-Proximal keeps 127 nonzero weights .* and classifies 92 of the 100 held-out messages correctly; ℓ1-AdaGrad keeps 710/,
    );
    const spamWords = await page.locator('#l1-sparsity .survivors-spam .survivor-word').allTextContents();
    const hamWords = await page.locator('#l1-sparsity .survivors-ham .survivor-word').allTextContents();
    expect(spamWords.length).toBeGreaterThan(5);
    expect(hamWords.length).toBeGreaterThan(5);
    // Words are text: no element was made from a message's content.
    expect(await page.locator('#l1-sparsity .survivor-word *').count()).toBe(0);
    const weights = await page.locator('#l1-sparsity .survivors-spam .survivor-weight').allTextContents();
    expect(weights.every((w) => w.startsWith('+'))).toBe(true);
    expect(problems).toEqual([]);
    saveImage(screenshotPath('l1-sparsity'), await page.locator('#l1-sparsity').screenshot());
    await page.context().close();
  });

  it('the λ slider and the learner picker change the figure, by keyboard, and the URL keeps them', async () => {
    const { page, problems } = await open();
    await trained(page);
    const slider = page.locator('#l1-sparsity').getByLabel(/ℓ1 strength λ/);
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.includes('zr.lam=0.7'));
    const at07 = Number((await nonzeros(page, 'ftrl'))?.split(' ')[0].replace(',', ''));
    expect(at07).toBeLessThan(127);
    await expect(slider.getAttribute('aria-valuetext')).resolves.toBe('ℓ1 strength λ = 0.7');
    const ftrlWords = await page.locator('#l1-sparsity .survivor-word').allTextContents();
    await page.locator('#l1-sparsity select').selectOption('adagrad');
    await page.waitForFunction(() => location.hash.includes('zr.who=adagrad'));
    expect(await page.locator('#l1-sparsity .survivor-word').allTextContents()).not.toEqual(ftrlWords);
    await expect(page.locator('#l1-sparsity h3').textContent()).resolves.toMatch(/ℓ1-AdaGrad kept/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('opens at the state a link carries, and ignores a hostile one', async () => {
    const { page } = await open('#zr.lam=3&zr.who=adagrad');
    await trained(page);
    await expect(page.locator('#l1-sparsity select').inputValue()).resolves.toBe('adagrad');
    await expect(page.locator('#l1-sparsity .sparsity-figure figcaption').textContent()).resolves.toMatch(
      /^At λ = 3:/,
    );
    await page.context().close();
    const hostile = await open('#zr.lam=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&zr.who=%3Cscript%3E');
    await trained(hostile.page);
    await expect(
      hostile.page.locator('#l1-sparsity .sparsity-figure figcaption').textContent(),
    ).resolves.toMatch(/^At λ = 0\.5:/);
    expect(await hostile.page.locator('#l1-sparsity img').count()).toBe(0);
    expect(hostile.problems).toEqual([]);
    await hostile.page.context().close();
  });

  it('sweeps λ for both learners, the same curves as the library gives here, with the slider’s λ marked', async () => {
    const { page, problems } = await open();
    await swept(page);
    // The same sweep, trained here by the same library: the page's caption must be this one.
    const sample = JSON.parse(
      readFileSync(new URL('../web/lib/spam-sample.json', import.meta.url), 'utf8'),
    ) as {
      messages: LabelledMessage[];
    };
    const models = new SparseModels(splitSample(sample.messages));
    for (const lambda of SWEEP_LAMBDAS)
      for (const learner of ['ftrl', 'adagrad'] as const) models.get(learner, lambda);
    const curves = sweepCurves(models);
    await expect(page.locator('#l1-sparsity .live-caption').textContent()).resolves.toBe(
      sweepCaption(curves, 0.5, formatValue),
    );
    for (const learner of ['ftrl', 'adagrad']) {
      const nonzeroPoints = points(await seriesPath(page, 'l1-sparsity', learner, 'line-chart'));
      expect(nonzeroPoints).toHaveLength(SWEEP_LAMBDAS.length);
      // x grows with λ, and fewer nonzero weights sit lower (larger SVG y) as λ grows.
      for (let i = 1; i < nonzeroPoints.length; i++) {
        expect(nonzeroPoints[i][0]).toBeGreaterThan(nonzeroPoints[i - 1][0]);
        expect(nonzeroPoints[i][1]).toBeGreaterThanOrEqual(nonzeroPoints[i - 1][1]);
      }
    }
    // Both charts carry both learners, with a legend.
    await expect(page.locator('#l1-sparsity svg.line-chart path[data-series]').count()).resolves.toBe(4);
    await expect(page.locator('#l1-sparsity svg.line-chart').first().textContent()).resolves.toMatch(
      /FTRL-Proximal.*ℓ1-AdaGrad/,
    );
    // The default λ = 0.5 is a sweep point, as every λ of the slider is: the marker stands on it.
    const mark = await marker(page);
    expect(mark).toMatchObject({ lambda: 0.5, label: 'λ = 0.5' });
    const ftrl = points(await seriesPath(page, 'l1-sparsity', 'ftrl', 'line-chart'));
    expect(mark.x).toBeCloseTo(ftrl[SWEEP_LAMBDAS.indexOf(0.5)][0], 1);
    expect(problems).toEqual([]);
    saveImage(
      screenshotPath('l1-sparsity-sweep'),
      await page.locator('#l1-sparsity .figure-row').screenshot(),
    );
    await page.context().close();
  });

  it('the slider moves the sweep’s marker, by keyboard, and a link opens it at its λ', async () => {
    const { page, problems } = await open();
    await swept(page);
    const before = await marker(page);
    const slider = page.locator('#l1-sparsity').getByLabel(/ℓ1 strength λ/);
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.includes('zr.lam=0.7'));
    const after = await marker(page);
    expect(after).toMatchObject({ lambda: 0.7, label: 'λ = 0.7' });
    expect(after.x).toBeGreaterThan(before.x);
    expect(problems).toEqual([]);
    await page.context().close();
    const linked = await open('#zr.lam=3');
    await expect(marker(linked.page)).resolves.toMatchObject({ lambda: 3, label: 'λ = 3' });
    await linked.page.context().close();
  });

  it('has no serious or critical axe violations and fits a phone screen', async () => {
    const { page } = await open();
    await trained(page);
    await swept(page);
    const results = await new AxeBuilder({ page }).include('#l1-sparsity').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.context().close();
    const phone = await open('', { reducedMotion: 'reduce', viewport: { width: 390, height: 800 } });
    await trained(phone.page);
    await swept(phone.page);
    expect(
      await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    const widest = await phone.page
      .locator('#l1-sparsity *:not(svg *, .katex-mathml, .katex-mathml *)')
      .evaluateAll((nodes) => Math.max(...nodes.map((n) => n.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(390);
    await phone.page.context().close();
    // axe reads every node of the section: on a loaded 2-core machine that takes longer than the default.
  }, 90_000);
});
