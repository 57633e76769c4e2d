// Native form controls for sections 4-6, each with a real <label>, keyboard-operable as they come.
// Built with element(): labels and values are text, never markup.
import type { Formula } from '../lib/formula.js';
import { element, rangeControl, uniqueId } from '../lib/section.js';
import { typeset } from '../lib/typeset.js';
import { snapToGrid } from './b-params.js';

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
    const swatch = element('span', { class: 'b-swatch', 'aria-hidden': 'true' });
    swatch.style.cssText = `display:inline-block;width:0.9em;height:0.9em;border-radius:2px;margin:0 0.3em;vertical-align:-0.1em;background:${item.color}`;
    const label = element('label', { for: id });
    label.append(swatch, document.createTextNode(item.label));
    const row = element('span', { class: 'b-check' });
    row.style.marginRight = '1em';
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

/** An integer input; invalid text is ignored (the state keeps its last valid value). */
export function integerInput(
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

/** A formula typeset by KaTeX at build time, in a span (inline) or a div (display). */
export function formula(source: Formula): HTMLElement {
  const node = element(source.display ? 'div' : 'span', { class: 'b-formula' });
  typeset(node, source);
  // A wide display formula scrolls on its own on a phone instead of widening the page.
  if (source.display) node.style.cssText = 'overflow-x:auto;overflow-y:hidden;max-width:100%';
  return node;
}

/** A responsive row of figures: side by side when there is room, stacked on a phone. */
export function figureRow(...children: HTMLElement[]): HTMLDivElement {
  const row = element('div', { class: 'b-figure-row' });
  row.style.cssText =
    'display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,300px),1fr));gap:1rem;align-items:start';
  row.append(...children);
  return row;
}

export function figure(captionText: string): {
  root: HTMLElement;
  body: HTMLDivElement;
  caption: HTMLElement;
} {
  const root = element('figure', { class: 'b-figure' });
  root.style.margin = '0';
  const body = element('div');
  const caption = element('figcaption', {}, captionText);
  root.append(body, caption);
  return { root, body, caption };
}

/** A slider over a list of values (a log-like scale of round numbers); its label shows the value. */
export function gridSlider(
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
