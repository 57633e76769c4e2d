import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Adagrad, valley } from '../src/index.js';
import { adagradStep } from '../web/sections/implementation/plain-update.js';
import { extractFunction, SourceExtractionError } from '../web/sections/implementation/extract.js';
import {
  adagradGlueSources,
  adagradStepSources,
  plainUpdateSource,
} from '../web/sections/implementation/source.js';

const referencePath = new URL('../src/kernels/reference.ts', import.meta.url);

describe('extractFunction', () => {
  const source = [
    'import x from "y";',
    '',
    '// Adds one: the comment above is kept.',
    'export function addOne(a: number, opts: { by?: number } = {}): number {',
    "  const s = '}'; // a brace in a string and a comment: }",
    '  /* and { in a block comment */',
    '  if (a > 0) {',
    '    return a + (opts.by ?? 1);',
    '  }',
    '  return a + 1;',
    '}',
    '',
    'function other(): void {}',
    'class K {',
    '  step(grads: Record<string, number[]>): void {',
    '    this.n++;',
    '  }',
    '}',
  ].join('\n');

  it('cuts a function from its comment to its matching brace, skipping braces in strings and comments', () => {
    const f = extractFunction(source, 'addOne', 'm.ts');
    expect(f.line).toBe(4);
    expect(f.text.startsWith('// Adds one')).toBe(true);
    expect(f.text.endsWith('  return a + 1;\n}')).toBe(true);
    expect(f.text).not.toContain('function other');
  });

  it('finds class methods and dedents them', () => {
    const f = extractFunction(source, 'step', 'm.ts');
    expect(f.text).toBe('step(grads: Record<string, number[]>): void {\n  this.n++;\n}');
    expect(f.line).toBe(15);
  });

  it('fails loudly, naming the file and the function, when the function is missing', () => {
    expect(() => extractFunction(source, 'adagradDense', 'src/kernels/reference.ts')).toThrow(
      SourceExtractionError,
    );
    expect(() => extractFunction(source, 'adagradDense', 'src/kernels/reference.ts')).toThrow(
      /src\/kernels\/reference\.ts: no declaration of function 'adagradDense'/,
    );
  });

  it('fails loudly when the braces do not balance', () => {
    expect(() => extractFunction('function broken(): void {\n  if (x) {\n', 'broken', 'b.ts')).toThrow(
      /b\.ts: the braces of function 'broken' do not balance/,
    );
  });
});

describe('the AdaGrad source shown on the page', () => {
  const fileText = readFileSync(referencePath, 'utf8');
  const { dense, sparse } = adagradStepSources();

  it('is the real adagradDense and adagradSparse of the reference kernels, verbatim', () => {
    for (const shown of [dense, sparse]) {
      expect(shown.file).toBe('src/kernels/reference.ts');
      const declarationLine = fileText.split('\n')[shown.line - 1];
      expect(declarationLine).toMatch(new RegExp(`function ${shown.name}\\(`));
      // Top-level functions are not indented, so the extracted text is a verbatim slice of the file.
      expect(fileText).toContain(shown.text);
    }
    expect(dense.text).toMatch(/^(\/\/.*\n)*function adagradDense\(/);
    expect(sparse.text).toMatch(/^(\/\/.*\n)*function adagradSparse\(/);
  });

  it('contains the update itself: the accumulator sum and the square root', () => {
    for (const shown of [dense, sparse]) {
      expect(shown.text).toContain('Math.sqrt');
      expect(shown.text).toMatch(/sum\[i\] = G/);
      expect(shown.text.trimEnd().endsWith('}')).toBe(true);
    }
  });
});

describe('the optimizer code shown with it', () => {
  const fileText = readFileSync(new URL('../src/optim/adagrad.ts', import.meta.url), 'utf8');
  const { scalars, applySparse } = adagradGlueSources();

  it('is cut from the Adagrad class: the per-step scalars and the sparse kernel call', () => {
    expect(scalars.file).toBe('src/optim/adagrad.ts');
    expect(fileText.split('\n')[scalars.line - 1]).toMatch(/scalars\(step: number\)/);
    // The decayed rate, however the method spells it (an object key, or a const it reuses).
    expect(scalars.text).toMatch(/clr(:| =) o\.lr \/ \(1 \+ \(step - 1\) \* o\.lrDecay\)/);
    expect(fileText.split('\n')[applySparse.line - 1]).toMatch(/applySparse\(/);
    expect(applySparse.text).toContain('kernelsFor(param).adagradSparse(');
    // Dedented methods: every line, re-indented by two spaces, is in the file.
    for (const line of applySparse.text.split('\n')) expect(fileText).toContain(`  ${line}`.trimEnd());
  });
});

describe('the update as the lesson wrote it (shown first)', () => {
  it('is the library’s AdaGrad step, bit for bit in float64, on a run of the valley', () => {
    const lr = 0.7;
    const params = { xy: new Float64Array([-10, 2]) };
    const optimizer = new Adagrad(params, { lr });
    const theta = new Float64Array([-10, 2]);
    const sum = new Float64Array(2);
    for (let t = 0; t < 50; t++) {
      const g = valley.grad(theta[0], theta[1]);
      optimizer.step({ xy: new Float64Array(g) });
      adagradStep(theta, g, sum, lr, 1e-10);
      expect(Array.from(theta)).toEqual(Array.from(params.xy));
    }
    expect(Array.from(sum)).toEqual(Array.from(optimizer.accumulator('xy')));
  });

  it('is shown from its real source file', () => {
    const shown = plainUpdateSource();
    expect(shown.file).toBe('web/sections/implementation/plain-update.ts');
    expect(shown.text).toMatch(/^\/\/ sum is G and clr is η[^\n]*\nexport function adagradStep\(/);
  });
});
