/**
 * A light TypeScript highlighter: splits source into tokens whose kind picks a CSS class. The view
 * appends each token as a text node inside a <span>, so source text never becomes HTML.
 */
export type TokenKind = 'comment' | 'string' | 'keyword' | 'number' | 'type' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'const',
  'let',
  'var',
  'function',
  'return',
  'if',
  'else',
  'for',
  'while',
  'of',
  'in',
  'new',
  'export',
  'import',
  'type',
  'interface',
  'class',
  'this',
  'true',
  'false',
  'null',
  'undefined',
  'void',
  'typeof',
  'instanceof',
]);

// One alternation, tried left to right at each position: comments, strings, words, numbers.
const TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|([A-Za-z_$][\w$]*)|(\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?)/g;

export function highlight(source: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const push = (kind: TokenKind, text: string): void => {
    const prev = tokens[tokens.length - 1];
    if (prev !== undefined && prev.kind === kind) prev.text += text;
    else if (text !== '') tokens.push({ kind, text });
  };
  for (const m of source.matchAll(TOKEN)) {
    push('plain', source.slice(last, m.index));
    const [text, comment, string, word, number] = m;
    if (comment !== undefined) push('comment', text);
    else if (string !== undefined) push('string', text);
    else if (word !== undefined)
      push(KEYWORDS.has(word) ? 'keyword' : /^[A-Z]/.test(word) ? 'type' : 'plain', text);
    else if (number !== undefined) push('number', text);
    last = m.index + text.length;
  }
  push('plain', source.slice(last));
  return tokens;
}
