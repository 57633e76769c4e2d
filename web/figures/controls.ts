// The page's controls: native form elements, each with a real <label> whose text comes from state, so
// they are keyboard-operable as they come and a label never disagrees with its control. Built with
// element(): labels and values are text, never markup.
import { snapToGrid } from '../lib/hash-state.js';
import { element, uniqueId } from '../lib/section.js';

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

export interface SelectControl<T extends string> {
  root: HTMLDivElement;
  select: HTMLSelectElement;
  update(value: T): void;
}

export function selectControl<T extends string>(
  labelText: string,
  options: ReadonlyArray<{ value: T; label: string }>,
  onChange: (value: T) => void,
): SelectControl<T> {
  const id = uniqueId('select');
  const root = element('div', { class: 'control select-control' });
  const select = element('select', { id });
  for (const o of options) select.append(element('option', { value: o.value }, o.label));
  root.append(element('label', { for: id }, labelText), select);
  select.addEventListener('change', () => {
    const chosen = options.find((o) => o.value === select.value);
    if (chosen !== undefined) onChange(chosen.value);
  });
  return { root, select, update: (value) => void (select.value = value) };
}

export interface CheckboxGroup<T extends string> {
  root: HTMLFieldSetElement;
  inputs: ReadonlyMap<T, HTMLInputElement>;
  update(checked: readonly T[]): void;
}

/** A fieldset of checkboxes with a legend; each box has its colour swatch next to its label. */
export function checkboxGroup<T extends string>(
  legend: string,
  items: ReadonlyArray<{ value: T; label: string; color: string }>,
  onChange: (checked: T[]) => void,
): CheckboxGroup<T> {
  const root = element('fieldset', { class: 'control checkbox-group' });
  root.append(element('legend', {}, legend));
  const inputs = new Map<T, HTMLInputElement>();
  for (const item of items) {
    const id = uniqueId('check');
    const input = element('input', { type: 'checkbox', id, value: item.value });
    const swatch = element('span', { class: 'swatch-box', 'aria-hidden': 'true' });
    swatch.style.background = item.color;
    const label = element('label', { for: id });
    label.append(swatch, document.createTextNode(item.label));
    const row = element('span', { class: 'check' });
    row.append(input, label);
    root.append(row);
    inputs.set(item.value, input);
    input.addEventListener('change', () =>
      onChange(items.filter((i) => inputs.get(i.value)?.checked).map((i) => i.value)),
    );
  }
  return {
    root,
    inputs,
    update(checked) {
      for (const [value, input] of inputs) input.checked = checked.includes(value);
    },
  };
}

export interface NumberInputControl {
  root: HTMLDivElement;
  input: HTMLInputElement;
  update(value: number): void;
}

/** A seed (or any integer) input; invalid text is ignored (the state keeps its last valid value). */
export function seedInput(
  labelText: string,
  range: { min: number; max: number },
  onChange: (value: number) => void,
): NumberInputControl {
  const id = uniqueId('number');
  const root = element('div', { class: 'control number-control' });
  const input = element('input', {
    type: 'number',
    id,
    min: String(range.min),
    max: String(range.max),
    step: '1',
    inputmode: 'numeric',
  });
  root.append(element('label', { for: id }, labelText), input);
  input.addEventListener('change', () => {
    const value = Number(input.value);
    if (Number.isInteger(value) && value >= range.min && value <= range.max) onChange(value);
  });
  return { root, input, update: (value) => void (input.value = String(value)) };
}

/**
 * The log slider: it moves along a grid of round numbers (hash-state's roundGrid, six per decade), so
 * equal slider distances are about equal factors, and the label, the URL and the figure all show the
 * same round value.
 */
export function logSlider(
  grid: readonly number[],
  label: (value: number) => string,
  onInput: (value: number) => void,
): { root: HTMLDivElement; input: HTMLInputElement; update(value: number): void } {
  const control = rangeControl({
    min: 0,
    max: grid.length - 1,
    step: 1,
    label: (i) => label(grid[i]),
    onInput: (i) => onInput(grid[i]),
  });
  return {
    root: control.root,
    input: control.input,
    update: (value) => control.update(Math.max(0, grid.indexOf(snapToGrid(grid, value)))),
  };
}

export interface Toggle {
  root: HTMLDivElement;
  input: HTMLInputElement;
  update(checked: boolean): void;
}

/** One checkbox with its label. */
export function toggle(labelText: string, onChange: (checked: boolean) => void): Toggle {
  const id = uniqueId('toggle');
  const root = element('div', { class: 'control checkbox-control' });
  const input = element('input', { type: 'checkbox', id });
  input.addEventListener('change', () => onChange(input.checked));
  root.append(input, element('label', { for: id }, labelText));
  return { root, input, update: (checked) => void (input.checked = checked) };
}
