// Inserts formulas typeset at build time: the browser neither downloads KaTeX's parser (40% of the
// page's script) nor runs it while the page loads.
import typesetAtBuild from 'virtual:katex-prerendered';
import { formulaKey, type Formula } from './formula.js';

/**
 * Puts the formula's typeset HTML into target. The HTML is KaTeX's output for TeX from this repository's
 * source, made at build time; nothing from the URL or the user ever reaches it.
 */
export function typeset(target: HTMLElement, formula: Formula): void {
  const html = typesetAtBuild[formulaKey(formula)];
  if (html === undefined) {
    throw new Error(
      `web/lib/typeset.ts: the formula "${formula.tex}" was not typeset at build time; write it with the tex or displayTex tag of web/lib/formula.ts`,
    );
  }
  target.innerHTML = html;
}
