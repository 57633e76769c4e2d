/** The progressive-validation table in Vowpal Wabbit's layout, and a progress bar for terminals. */
import type { Io } from './io.js';
import type { ProgressEvent } from '../learn/index.js';

const HEADER =
  'average    since         example   current   current   current   pass   examples/s\n' +
  'loss       last          counter     label   predict  features\n';

export function formatProgressHeader(): string {
  return HEADER;
}

export function formatProgressRow(row: ProgressEvent): string {
  return (
    fixed(row.averageLoss).padEnd(11) +
    fixed(row.sinceLast).padEnd(11) +
    String(row.examples).padStart(10) +
    short(row.label).padStart(10) +
    short(row.prediction).padStart(10) +
    String(row.features).padStart(10) +
    String(row.pass).padStart(7) +
    String(Math.round(row.examplesPerSecond)).padStart(13) +
    '\n'
  );
}

function fixed(x: number): string {
  return Math.abs(x) >= 1e5 ? x.toExponential(3) : x.toFixed(6);
}

function short(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4);
}

/** A one-line bar redrawn in place with \r; cleared before any table line is printed. */
export class ProgressBar {
  private visible = false;
  private lastDraw = 0;
  constructor(private readonly io: Io) {}

  draw(fraction: number | undefined, pass: number, passes: number): void {
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 30;
    const label = passes > 1 ? ` pass ${pass}/${passes}` : '';
    if (fraction === undefined) {
      this.io.out(`\r[reading...]${label}`);
    } else {
      const filled = Math.round(fraction * width);
      this.io.out(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}%${label}`,
      );
    }
    this.visible = true;
  }

  clear(): void {
    if (!this.visible) return;
    this.io.out('\r\x1b[2K');
    this.visible = false;
  }
}
