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
  /** Moves the slider to value and regenerates its label (no onInput call). */
  update(value: number): void;
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
  const update = (value: number): void => {
    input.value = String(value);
    const text = options.label(Number(input.value));
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
