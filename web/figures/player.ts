// The player of a precomputed run: play / pause / step / reset and a speed slider. It starts on the
// finished run and plays from the start the first time its figure is on screen.
import { element, onFirstVisible } from '../lib/section.js';
import { button, rangeControl } from './controls.js';

export interface PlayerOptions {
  /** The number of steps in the current run (the player never goes past it). */
  length(): number;
  /** Draws the figures at step t (0 ≤ t ≤ length). */
  onFrame(t: number): void;
  /**
   * The player starts on the finished run and plays it from the start the first time this figure is
   * on screen; under prefers-reduced-motion it never plays by itself.
   */
  figure: Element;
  reducedMotion: boolean;
  /** Steps per second at start. */
  speed?: number;
  /** Accessible name prefix of the controls, e.g. "Valley". */
  label: string;
}

export interface Player {
  root: HTMLDivElement;
  /** The step currently shown. */
  readonly t: number;
  /** Redraws after the run changed (its length may have): keeps t, clamped. */
  refresh(): void;
  play(): void;
  pause(): void;
}

/**
 * Play / pause / step / reset and a speed slider over a precomputed run. Animation runs on
 * requestAnimationFrame; the run itself is recomputed by the section on input, never here.
 */
export function createPlayer(options: PlayerOptions): Player {
  let t = 0;
  let position = 0; // fractional step while playing
  let speed = options.speed ?? 20;
  let frame: number | null = null;
  let last = 0;
  const root = element('div', {
    class: 'player',
    role: 'group',
    'aria-label': `${options.label} animation controls`,
  });
  // Once the reader has used the controls, the player no longer starts by itself.
  let touched = false;
  const playButton = button('Play', () => {
    touched = true;
    if (frame === null) player.play();
    else player.pause();
  });
  const stepButton = button('Step', () => {
    touched = true;
    player.pause();
    show(Math.min(t + 1, options.length()));
  });
  const resetButton = button('Reset', () => {
    touched = true;
    player.pause();
    show(0);
  });
  const speedControl = rangeControl({
    min: 1,
    max: 60,
    step: 1,
    label: (value) => `Speed: ${value} steps per second`,
    onInput: (value) => (speed = value),
  });
  speedControl.update(speed);
  root.append(playButton, stepButton, resetButton, speedControl.root);

  const show = (next: number): void => {
    t = next;
    position = next;
    options.onFrame(t);
    root.dataset.step = String(t);
    root.dataset.complete = String(t >= options.length());
  };
  const tick = (now: number): void => {
    // A frame's timestamp may precede the performance.now() taken when play was pressed: clamp at 0.
    const dt = Math.max(0, Math.min(0.1, (now - last) / 1000));
    last = now;
    position = Math.min(options.length(), position + speed * dt);
    const whole = Math.floor(position);
    if (whole !== t) {
      const keep = position;
      show(whole);
      position = keep;
    }
    if (t >= options.length()) {
      player.pause();
      return;
    }
    frame = requestAnimationFrame(tick);
  };

  const player: Player = {
    root,
    get t() {
      return t;
    },
    refresh() {
      show(Math.min(t, options.length()));
    },
    play() {
      if (frame !== null) return;
      if (t >= options.length()) show(0);
      playButton.textContent = 'Pause';
      last = performance.now();
      frame = requestAnimationFrame(tick);
    },
    pause() {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      playButton.textContent = 'Play';
    },
  };
  show(options.length());
  if (!options.reducedMotion) {
    onFirstVisible(options.figure, () => {
      if (!touched) player.play();
    });
  }
  return player;
}
