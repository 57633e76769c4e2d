// A Vite plugin that typesets the page's formulas with KaTeX at build time. It finds every formula
// written with the tex`...` and displayTex`...` tags of web/lib/formula.ts in the page's source and serves
// the module 'virtual:katex-prerendered': a table from each formula's key to KaTeX's HTML (with its
// MathML, which screen readers read). A malformed formula fails the build with its file and line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import katex from 'katex';
import type { Plugin } from 'vite';
import { formulaKey } from './lib/formula.js';

const VIRTUAL_ID = 'virtual:katex-prerendered';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
/** A tagged template with no substitutions: the tag, then the raw TeX between backticks. */
const FORMULA = /\b(tex|displayTex)`([^`]*)`/g;

export interface FoundFormula {
  tex: string;
  display: boolean;
  /** file:line, for the build error of a malformed formula. */
  where: string;
}

/** Every tagged formula in the TypeScript files under dir (web/dist and node_modules skipped). */
export function findFormulas(dir: string): { formulas: FoundFormula[]; files: string[] } {
  const found: FoundFormula[] = [];
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .filter((file) => !/(^|[\\/])(dist|node_modules)[\\/]/.test(file))
    .sort();
  for (const file of files) {
    const path = join(dir, file);
    // Template literals normalise CRLF to LF in their raw text; do the same so the keys match.
    const source = readFileSync(path, 'utf8').replace(/\r\n?/g, '\n');
    for (const match of source.matchAll(FORMULA)) {
      if (match[2].includes('${')) continue; // formula.ts rejects these at run time with a clear error
      // An example in a comment is not a formula of the page.
      const lineStart = source.lastIndexOf('\n', match.index) + 1;
      if (/^\s*(\/\/|\/\*|\*)|\/\//.test(source.slice(lineStart, match.index))) continue;
      const line = source.slice(0, match.index).split('\n').length;
      found.push({
        tex: match[2],
        display: match[1] === 'displayTex',
        where: `${relative(dir, path)}:${line}`,
      });
    }
  }
  return { formulas: found, files: files.map((file) => join(dir, file)) };
}

/** KaTeX's HTML for each formula, keyed by formulaKey. */
export function typesetFormulas(formulas: readonly FoundFormula[]): Record<string, string> {
  const table: Record<string, string> = {};
  for (const formula of formulas) {
    const key = formulaKey(formula);
    if (key in table) continue;
    try {
      table[key] = katex.renderToString(formula.tex, {
        displayMode: formula.display,
        throwOnError: true,
        output: 'htmlAndMathml',
      });
    } catch (error) {
      throw new Error(
        `${formula.where}: KaTeX cannot typeset "${formula.tex}": ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  return table;
}

export function katexPrerender(webRoot: string): Plugin {
  return {
    name: 'adagrad-katex-prerender',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const { formulas, files } = findFormulas(webRoot);
      // In the dev server, editing or adding a formula must re-typeset it.
      for (const file of files) this.addWatchFile(file);
      return `export default ${JSON.stringify(typesetFormulas(formulas))};`;
    },
  };
}
