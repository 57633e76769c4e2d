// Browser tests of Layer 3 (the fatal flaw) and the sparse-gradients section, on the BUILT page
// (web/dist): build first with `npx vite build --config web/vite.config.ts`.
import { describe, expect, it } from 'vitest';
import { useBrowser, pressOn, seriesPath } from './browser/figures.js';

const { open } = useBrowser();

describe('the flaw and sparse sections on the built page', () => {
  it('the p slider changes the sparse demo, and the URL keeps p', async () => {
    const { page, problems } = await open();
    const before = await seriesPath(page, 'sparse', 'adagrad');
    const captionBefore = await page.locator('#sparse .live-caption').textContent();
    await pressOn(page, '#sparse input[data-param="s.p"]', 'ArrowLeft', 4);
    await page.waitForFunction(() => location.hash.includes('s.p=60'));
    expect(await seriesPath(page, 'sparse', 'adagrad')).not.toBe(before);
    expect(await page.locator('#sparse .live-caption').textContent()).not.toBe(captionBefore);
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
});
