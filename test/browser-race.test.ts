// Browser tests of the race (fixing the accumulator), on the BUILT page (web/dist).
import { describe, expect, it } from 'vitest';
import { useBrowser, points, seriesPath } from './browser/figures.js';

const { open } = useBrowser();

describe('the race on the built page', () => {
  it('the optimizer toggles and the landscape picker change the race', async () => {
    const { page, problems } = await open();
    expect(await seriesPath(page, 'fixing', 'adam')).not.toBe('');
    await page.locator('#fixing input[type="checkbox"][value="adam"]').uncheck();
    await page.waitForFunction(() => location.hash.includes('x.show='));
    expect(await seriesPath(page, 'fixing', 'adam')).toBe('');
    expect(await page.locator('#fixing .live-caption').textContent()).not.toMatch(/Adam/);

    const valleyPath = await seriesPath(page, 'fixing', 'adagrad');
    const contours = () =>
      page
        .locator('#fixing path.contour')
        .evaluateAll((paths) => paths.map((p) => p.getAttribute('d')).join());
    const valleyContours = await contours();
    await page.locator('#fixing select').selectOption('rotated');
    await page.waitForFunction(() => location.hash.includes('x.land=rotated'));
    expect(await seriesPath(page, 'fixing', 'adagrad')).not.toBe(valleyPath);
    expect(await contours()).not.toBe(valleyContours);
    await expect(page.locator('#fixing .live-caption').textContent()).resolves.toMatch(
      /Where diagonal AdaGrad struggles/,
    );
    await page.locator('#fixing select').selectOption('rosenbrock');
    await expect(page.locator('#fixing .landscape-description').textContent()).resolves.toMatch(/Rosenbrock/);
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
    await page.locator('#fixing svg.landscape-svg').scrollIntoViewIfNeeded();
    await page.waitForFunction(
      (n) =>
        (
          document
            .querySelector('#fixing svg.landscape-svg path.trajectory[data-series="adam"]')
            ?.getAttribute('d') ?? ''
        ).split('L').length < n,
      points(finished).length,
      { timeout: 5_000 },
    );
    await page.waitForFunction(
      (d) =>
        document
          .querySelector('#fixing svg.landscape-svg path.trajectory[data-series="adam"]')
          ?.getAttribute('d') === d,
      finished,
      { timeout: 10_000 },
    );
    // Replay runs it again.
    await page.locator('#fixing [data-action="replay"]').click();
    const early = points(await seriesPath(page, 'fixing', 'adam')).length;
    expect(early).toBeLessThan(points(finished).length);
    await page.waitForFunction(
      (d) =>
        document
          .querySelector('#fixing svg.landscape-svg path.trajectory[data-series="adam"]')
          ?.getAttribute('d') === d,
      finished,
      { timeout: 10_000 },
    );
    await page.context().close();
  });

  it('shows a diverging path with a label instead of hiding it', async () => {
    const { page } = await open('#x.scale=10&x.land=beale');
    await expect(page.locator('#fixing text.exit-label').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#fixing text.exit-label').first().textContent()).resolves.toMatch(
      /diverged|left the view/,
    );
    await page.context().close();
  });
});
