// The contract between the page shell (main.ts) and every lesson section: a section reads and writes
// its state only through the host, so the whole page state lives in the URL hash and a shared link
// reproduces the same figures.

/** One typed URL-hash parameter: parse returns undefined for anything invalid (falls back to default). */
export interface HashParam<T> {
  key: string;
  defaultValue: T;
  parse(raw: string): T | undefined;
  format(value: T): string;
}

export interface SectionHost {
  get<T>(p: HashParam<T>): T;
  /** Writes the hash (history.replaceState) and notifies listeners. */
  set<T>(p: HashParam<T>, value: T): void;
  /** Called after any hash change (including back/forward and a pasted link). */
  onChange(listener: () => void): void;
  /** prefers-reduced-motion: draw finished paths, don't animate. */
  readonly reducedMotion: boolean;
}

/** A section draws itself into root and keeps its figures in sync with the host's state. */
export type MountSection = (root: HTMLElement, host: SectionHost) => void;

/**
 * Creates an element with text content only: state never reaches the DOM as HTML.
 * Attributes are set with setAttribute, so values are never parsed as markup either.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

let uniqueIdCounter = 0;
/** A document-unique id for label/for and aria-describedby pairs. */
export function uniqueId(prefix: string): string {
  uniqueIdCounter += 1;
  return `${prefix}-${uniqueIdCounter}`;
}

export interface RangeControlOptions {
  /** Slider positions: the input works in these units (e.g. log10 of the learning rate). */
  min: number;
  max: number;
  step: number;
  /** The label text, generated from the current slider value (so label and slider never disagree). */
  label(value: number): string;
  /** Called on every input event with the slider's numeric value. */
  onInput(value: number): void;
}

export interface RangeControl {
  root: HTMLDivElement;
  input: HTMLInputElement;
  /**
   * Moves the slider to value and regenerates its label (no onInput call). Pass labelValue when the
   * state is finer than the slider's step, so the label shows the state and not the snapped position.
   */
  update(value: number, labelValue?: number): void;
}

/** A native <input type=range> with a <label> whose text comes from state: keyboard-operable for free. */
export function rangeControl(options: RangeControlOptions): RangeControl {
  const id = uniqueId('range');
  const root = element('div', { class: 'control range-control' });
  const label = element('label', { for: id });
  const input = element('input', {
    type: 'range',
    id,
    min: String(options.min),
    max: String(options.max),
    step: String(options.step),
  });
  root.append(label, input);
  const update = (value: number, labelValue?: number): void => {
    input.value = String(value);
    const text = options.label(labelValue ?? Number(input.value));
    label.textContent = text;
    input.setAttribute('aria-valuetext', text);
  };
  input.addEventListener('input', () => {
    const value = Number(input.value);
    update(value);
    options.onInput(value);
  });
  return { root, input, update };
}

/** A native button with text content. */
export function button(
  text: string,
  onClick: () => void,
  attributes: Record<string, string> = {},
): HTMLButtonElement {
  const node = element('button', { type: 'button', ...attributes }, text);
  node.addEventListener('click', onClick);
  return node;
}

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

/**
 * Calls start once, the first time target is on screen. An animation below the fold waits for its
 * reader instead of finishing unseen, and costs nothing while the page loads.
 */
export function onFirstVisible(target: Element, start: () => void): void {
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    start();
  });
  observer.observe(target);
}
