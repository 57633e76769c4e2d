// Formulas on the page are static TeX written in the source and marked with one of the tags below.
// The build finds every tagged formula and typesets it with KaTeX (web/katex-prerender.ts); the page
// only inserts the result (web/lib/typeset.ts).

/** A formula from the source: its TeX and whether it is set as a display (block) formula. */
export interface Formula {
  readonly tex: string;
  readonly display: boolean;
}

/** An inline formula: tex`x_{t+1}`. The TeX is the raw template text, so backslashes are written once. */
export function tex(strings: TemplateStringsArray, ...none: never[]): Formula {
  void none;
  return { tex: onlyText(strings), display: false };
}

/** A display formula, set on its own line: displayTex`G_t = G_{t-1} + g_t^2`. */
export function displayTex(strings: TemplateStringsArray, ...none: never[]): Formula {
  void none;
  return { tex: onlyText(strings), display: true };
}

// The build reads each literal from the source text, so a ${value} inside could never be typeset: the
// type (never) refuses one when the page is compiled, and this check when it runs.
function onlyText(strings: TemplateStringsArray): string {
  if (strings.raw.length !== 1) throw new Error('web/lib/formula.ts: a formula cannot contain ${...}');
  return strings.raw[0];
}

/** The formula's key in the table of formulas typeset at build time. */
export function formulaKey(formula: Formula): string {
  return `${formula.display ? 'display' : 'inline'}:${formula.tex}`;
}
