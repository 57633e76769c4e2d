// Frame times while the reader drags a landscape figure's start point, measured inside the page: part
// of bench/page-load.ts (which runs it after its loads), kept apart because it is a different question.
// Playwright holds the mouse on the figure's start handle and moves it along a loop for DRAG_MS, one
// move per 60 Hz frame; the page records every requestAnimationFrame timestamp meanwhile. A frame time
// is the gap between two consecutive frames: 16.7 ms at 60 fps, 33.3 ms when a frame was missed. Every
// pointer move recomputes the figure's runs with the library and redraws every section that shows them
// (the valley's start also drives Layer 2), so these frames carry all of that work.
import type { Page } from 'playwright-core';
import { quantile } from './stats.js';

/** The draggable figures: the section, and the start handle to hold (the valley has one per panel). */
export const DRAG_FIGURES = [
  { id: 'valley', handle: '#valley figure[data-optimizer="adagrad"] .start-handle' },
  { id: 'full-matrix', handle: '#full-matrix .start-handle' },
] as const;

export type DragFigureId = (typeof DRAG_FIGURES)[number]['id'];

/** How long each drag lasts, and the interval between mouse moves (one per frame at 60 Hz). */
export const DRAG_MS = 1500;
const MOVE_INTERVAL_MS = 1000 / 60;
/** The loop the pointer follows, in CSS pixels around the handle's first position. */
const LOOP_RADIUS = { x: 70, y: 40 };

export interface DragSample {
  /** Milliseconds between consecutive animation frames during the drag. */
  frameMs: number[];
  /** Pointer moves Playwright sent, and how many state changes the page handled (start points). */
  moves: number;
  /** The page's own time for the last state change (every listening section's recompute and redraw). */
  changeMs: number[];
}

/**
 * One drag of one figure on a page that has finished loading. The figure is scrolled into view first,
 * which starts its animation, as it does for a reader: the drag's frames carry the player's too.
 */
export async function dragOnce(page: Page, figure: (typeof DRAG_FIGURES)[number]): Promise<DragSample> {
  const handle = page.locator(figure.handle);
  await handle.scrollIntoViewIfNeeded();
  // The section's first-visible animation starts; the reader grabs the handle a moment later.
  await page.waitForTimeout(300);
  const box = await handle.boundingBox();
  if (box === null) throw new Error(`bench/page-drag.ts: the start handle of #${figure.id} is not visible`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // A string, not a function: tsx would wrap a named function in a __name() the page does not have.
  await page.evaluate(`(() => {
    const w = window;
    w.dragFrames = [];
    w.dragChanges = [];
    w.dragRecording = true;
    const frame = (now) => {
      if (!w.dragRecording) return;
      w.dragFrames.push(now);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    // Each state change's own time, as web/main.ts reports it for the last one.
    new MutationObserver(() => {
      if (w.dragRecording) w.dragChanges.push(Number(document.documentElement.dataset.lastChangeMs));
    }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-last-change-ms'] });
  })()`);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const started = Date.now();
  let moves = 0;
  for (let elapsed = 0; elapsed < DRAG_MS; elapsed = Date.now() - started) {
    const angle = (2 * Math.PI * elapsed) / DRAG_MS;
    await page.mouse.move(cx + LOOP_RADIUS.x * Math.sin(angle), cy - LOOP_RADIUS.y * (1 - Math.cos(angle)));
    moves++;
    const next = started + moves * MOVE_INTERVAL_MS;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await page.mouse.up();
  const { frames, changes } = await page.evaluate(() => {
    const w = window as unknown as { dragFrames: number[]; dragChanges: number[]; dragRecording: boolean };
    w.dragRecording = false;
    return { frames: w.dragFrames, changes: w.dragChanges };
  });
  const frameMs: number[] = [];
  for (let k = 1; k < frames.length; k++) frameMs.push(frames[k] - frames[k - 1]);
  return { frameMs, moves, changeMs: changes };
}

export interface DragSummary {
  drags: number;
  frames: number;
  /** Pointer moves sent per drag, and state changes the page handled per drag (medians). */
  movesPerDrag: number;
  changesPerDrag: number;
  medianFrameMs: number;
  p95FrameMs: number;
  /** 1000 / median frame time. */
  medianFps: number;
  /** Frames that took longer than 1.5 × 16.7 ms (at least one missed 60 Hz frame), as a fraction. */
  missedFraction: number;
  medianChangeMs: number;
  p95ChangeMs: number;
}

export function summarizeDrags(samples: readonly DragSample[]): DragSummary {
  const frames = samples.flatMap((s) => s.frameMs);
  const changes = samples.flatMap((s) => s.changeMs);
  const round = (v: number): number => Math.round(v * 10) / 10;
  const median = quantile(frames, 0.5);
  return {
    drags: samples.length,
    frames: frames.length,
    movesPerDrag: quantile(
      samples.map((s) => s.moves),
      0.5,
    ),
    changesPerDrag: quantile(
      samples.map((s) => s.changeMs.length),
      0.5,
    ),
    medianFrameMs: round(median),
    p95FrameMs: round(quantile(frames, 0.95)),
    medianFps: round(1000 / median),
    missedFraction:
      Math.round((1000 * frames.filter((f) => f > 1.5 * (1000 / 60)).length) / frames.length) / 1000,
    medianChangeMs: round(quantile(changes, 0.5)),
    p95ChangeMs: round(quantile(changes, 0.95)),
  };
}
