// The build-time typesetting of the page's formulas (web/katex-prerender.ts, web/lib/formula.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import typesetAtBuild from 'virtual:katex-prerendered';
import { describe, expect, it } from 'vitest';
import { findFormulas, typesetFormulas } from '../web/katex-prerender.js';
import { displayTex, formulaKey, tex } from '../web/lib/formula.js';
import { ADAGRAD_RULE, SGD_RULE } from '../web/sections/valley/model.js';

const WEB = new URL('../web', import.meta.url).pathname;

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'katex-prerender-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('formula tags', () => {
  it('keep the raw TeX, so a backslash is written once', () => {
    expect(tex`\eta_{t}`).toEqual({ tex: '\\eta_{t}', display: false });
    expect(displayTex`\frac{\eta}{\sqrt{G_t}}`).toEqual({ tex: '\\frac{\\eta}{\\sqrt{G_t}}', display: true });
  });

  it('refuse a substitution, which the build could not typeset', () => {
    const lr = 0.1;
    // @ts-expect-error: the type refuses it too
    expect(() => tex`\eta = ${lr}`).toThrow(/cannot contain \$\{/);
  });
});

describe('findFormulas', () => {
  it('finds tagged formulas with their file and line, and nothing else (not examples in comments)', () => {
    const dir = folderWith({
      'a.ts':
        "const a = tex`x_t`;\nconst b = 'x_{t+1}';\nconst c = displayTex`\\frac{1}{2}`;\nconst d = latex`y`;\n" +
        '// an example: tex`z`\n/**\n * and displayTex`w`\n */\nconst e = 1; // tex`v`\n',
      'b.d.ts': 'declare const e: typeof tex`ignored`;',
    });
    expect(findFormulas(dir).formulas).toEqual([
      { tex: 'x_t', display: false, where: 'a.ts:1' },
      { tex: '\\frac{1}{2}', display: true, where: 'a.ts:3' },
    ]);
  });

  it('finds every formula the page shows, among them the two update rules', () => {
    const keys = findFormulas(WEB).formulas.map(formulaKey);
    expect(keys).toContain(formulaKey(SGD_RULE));
    expect(keys).toContain(formulaKey(ADAGRAD_RULE));
    expect(keys.length).toBeGreaterThanOrEqual(15);
  });
});

describe('typesetFormulas', () => {
  it("stores KaTeX's own HTML and MathML for each formula, keyed like the page looks it up", () => {
    const table = typesetFormulas([{ tex: 'G_t', display: true, where: 'x.ts:1' }]);
    expect(table[formulaKey(displayTex`G_t`)]).toBe(
      katex.renderToString('G_t', { displayMode: true, output: 'htmlAndMathml' }),
    );
    expect(table['display:G_t']).toContain('<math');
    expect(table['display:G_t']).toContain('katex-display');
  });

  it('fails the build with the file and line of a malformed formula', () => {
    expect(() => typesetFormulas([{ tex: '\\frac{1}{', display: false, where: 'sections/x.ts:12' }])).toThrow(
      /^sections\/x\.ts:12: KaTeX cannot typeset "\\frac\{1\}\{"/,
    );
  });
});

describe("the build's table", () => {
  it('holds every formula of the page, typeset', () => {
    for (const formula of [SGD_RULE, ADAGRAD_RULE]) {
      expect(typesetAtBuild[formulaKey(formula)]).toContain('class="katex"');
    }
  });
});
