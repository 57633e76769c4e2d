// Figure layout shared by every section: a figure with its caption, a row of figures that stacks on a
// phone, display formulas typeset at build time, and a legend of symbols with their live values.
import type { Formula } from '../lib/formula.js';
import { element } from '../lib/section.js';
import { typeset } from '../lib/typeset.js';

/** A formula typeset by KaTeX at build time: a div.formula (display) or a span.formula-inline. */
export function formula(source: Formula): HTMLElement {
  const node = element(source.display ? 'div' : 'span', {
    class: source.display ? 'formula' : 'formula-inline',
  });
  typeset(node, source);
  return node;
}

/** A responsive row of figures: side by side when there is room, stacked on a phone. */
export function figureRow(...children: HTMLElement[]): HTMLDivElement {
  const row = element('div', { class: 'figure-row' });
  row.append(...children);
  return row;
}

/** A figure: its body (where a panel or chart is drawn) and its caption. */
export function figure(captionText: string): {
  root: HTMLElement;
  body: HTMLDivElement;
  caption: HTMLElement;
} {
  const root = element('figure', { class: 'chart-figure' });
  const body = element('div');
  const caption = element('figcaption', {}, captionText);
  root.append(body, caption);
  return { root, body, caption };
}

export interface LegendEntry {
  symbol: Formula;
  meaning: string;
  /** Its live value, as text. */
  value: string;
}

export interface LegendView {
  root: HTMLElement;
  update(entries: readonly LegendEntry[]): void;
}

/** A definition list: KaTeX symbol, meaning and live value; the symbols render once. */
export function legendList(label: string, initial: readonly LegendEntry[]): LegendView {
  const root = element('dl', { class: 'symbol-legend', 'aria-label': label });
  const values: HTMLElement[] = [];
  for (const entry of initial) {
    const dt = element('dt');
    typeset(dt, entry.symbol);
    const dd = element('dd');
    const value = element('span', { class: 'legend-value' }, entry.value);
    dd.append(
      element('span', { class: 'legend-meaning' }, entry.value === '' ? entry.meaning : `${entry.meaning}: `),
      value,
    );
    values.push(value);
    root.append(dt, dd);
  }
  return {
    root,
    update(entries) {
      entries.forEach((entry, i) => {
        if (values[i].textContent !== entry.value) values[i].textContent = entry.value;
      });
    },
  };
}
