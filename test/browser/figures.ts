// Reading the page's figures in browser tests: a series' path data, its points, and keyboard input.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { openBrowserSession, type BrowserSession } from './harness.js';

/** The d attribute of a series' path inside a section's figure ('' when absent). */
export async function seriesPath(
  page: Page,
  section: string,
  series: string,
  figure: 'landscape' | 'line-chart' = 'landscape',
): Promise<string> {
  const selector =
    figure === 'landscape'
      ? `#${section} svg.landscape-svg path.trajectory[data-series="${series}"]`
      : `#${section} svg.line-chart path[data-series="${series}"]`;
  const path = page.locator(selector).first();
  return (await path.count()) === 0 ? '' : ((await path.getAttribute('d')) ?? '');
}

/** The points of an SVG path's d attribute ("M x,y L x,y ..."), as numbers. */
export function points(d: string): Array<[number, number]> {
  return [...d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Moves a native range input by keyboard (focus, then arrow keys), as a reader would. */
export async function pressOn(page: Page, selector: string, key: string, times = 1): Promise<void> {
  await page.locator(selector).focus();
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Opens the page at `hash` in a new context (reduced motion unless told) and waits until it is drawn. */
export async function openPage(
  session: BrowserSession,
  hash = '',
  options: Parameters<BrowserSession['newPage']>[0] = { reducedMotion: 'reduce' },
) {
  const opened = await session.newPage(options);
  await opened.page.goto(`${session.baseUrl}${hash}`);
  await opened.page.waitForSelector('html[data-ready="true"]');
  return opened;
}

/**
 * One browser for a test file: started before its tests and closed after them. Returns `open`, which
 * opens the page in a new context of that browser (see openPage).
 */
export function useBrowser(): { open: (...args: OpenArgs) => ReturnType<typeof openPage> } {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    session = await openBrowserSession();
  });
  afterAll(async () => {
    await session?.close();
  });
  return {
    open: (...args) => {
      if (session === undefined) throw new Error('test/browser/figures.ts: the browser has not started');
      return openPage(session, ...args);
    },
  };
}

type OpenArgs = Parameters<typeof openPage> extends [unknown, ...infer Rest] ? Rest : never;
