// Browser tests of the implementation section's live training demo, on the BUILT page (web/dist).
import { describe, expect, it } from 'vitest';
import { saveImage, screenshotPath } from './browser/harness.js';
import { useBrowser, points, seriesPath } from './browser/figures.js';

const { open } = useBrowser();

describe('the training demo on the built page', () => {
  it('trains SGD and AdaGrad in the browser: two loss curves that go down', async () => {
    const { page, problems } = await open();
    // Before it is on screen, nothing is fetched or trained.
    expect(await seriesPath(page, 'implementation', 'sgd', 'line-chart')).toBe('');
    // The figure trains the first time it is on screen (reduced motion: the whole pass at once).
    await page.locator('#implementation .chart-figure').scrollIntoViewIfNeeded();
    const trained = () =>
      page.waitForFunction(() =>
        /SGD: 500 of 500 .* AdaGrad: 500 of 500/.test(
          document.querySelector('#implementation .training-status')?.textContent ?? '',
        ),
      );
    await trained();
    const first = await seriesPath(page, 'implementation', 'adagrad', 'line-chart');
    // Train runs the same pass again: the same curves.
    await page.locator('#implementation [data-action="train"]').click();
    await trained();
    expect(await seriesPath(page, 'implementation', 'adagrad', 'line-chart')).toBe(first);
    for (const kind of ['sgd', 'adagrad']) {
      const curve = points(await seriesPath(page, 'implementation', kind, 'line-chart'));
      expect(curve.length).toBeGreaterThan(400);
      // SVG y grows downwards: a lower loss is a larger y. The end is well below the first 50 messages.
      expect(curve[curve.length - 1][1]).toBeGreaterThan(curve[50][1] + 10);
    }
    const status = (await page.locator('#implementation .training-status').textContent()) ?? '';
    const losses = [...status.matchAll(/average log loss ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(2);
    for (const loss of losses) expect(loss).toBeLessThan(Math.LN2);
    // AdaGrad, at its default rate, ends below SGD at its own: what the section's text claims.
    expect(losses[1]).toBeLessThan(losses[0]);
    saveImage(screenshotPath('implementation-trained'), await page.locator('#implementation').screenshot());
    await page.locator('#implementation [data-action="reset"]').click();
    expect(await seriesPath(page, 'implementation', 'sgd', 'line-chart')).toBe('');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('animates the training in chunks when motion is allowed, ending at the same curves', async () => {
    const { page } = await open('', {});
    await page.locator('#implementation [data-action="train"]').click();
    await page.waitForFunction(() =>
      /SGD: [1-9]\d* of 500/.test(
        document.querySelector('#implementation .training-status')?.textContent ?? '',
      ),
    );
    const partial = (await page.locator('#implementation .training-status').textContent()) ?? '';
    expect(partial).not.toMatch(/SGD: 500 of 500/);
    await page.waitForFunction(
      () =>
        (document.querySelector('#implementation .training-status')?.textContent ?? '').split('500 of 500')
          .length === 3,
      undefined,
      { timeout: 20_000 },
    );
    const animated = await seriesPath(page, 'implementation', 'adagrad', 'line-chart');
    await page.context().close();
    const still = await open();
    await still.page.locator('#implementation [data-action="train"]').click();
    // Training waits for the messages, fetched when the section came into view.
    await still.page.waitForFunction(() =>
      /AdaGrad: 500 of 500/.test(
        document.querySelector('#implementation .training-status')?.textContent ?? '',
      ),
    );
    expect(await seriesPath(still.page, 'implementation', 'adagrad', 'line-chart')).toBe(animated);
    await still.page.context().close();
  });
});
