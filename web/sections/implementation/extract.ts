/**
 * Cuts one function out of a module's source text, so the page can show the code it really runs
 * (imported with Vite's `?raw`) instead of a retyped copy that could drift from it.
 */

export class SourceExtractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceExtractionError';
  }
}

export interface ExtractedFunction {
  name: string;
  /** The declaration and its body, dedented, with the comment lines directly above it. */
  text: string;
  /** 1-based line of the declaration in the source file, for the caption's "file:line". */
  line: number;
}

/**
 * Finds `function name(`, `async function name(`, or a class method `name(` at the start of a line,
 * and returns it up to its matching closing brace. Throws, naming the file and function, when the
 * declaration is missing or its braces do not balance: the page must break loudly if the code moves.
 */
export function extractFunction(source: string, name: string, file = '<source>'): ExtractedFunction {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const declaration = new RegExp(
    `^([ \\t]*)(?:export\\s+)?(?:(?:async\\s+)?function\\s+${escaped}|(?:(?:public|private|protected|static|override|async)\\s+)*${escaped})\\s*[(<]`,
    'm',
  );
  const match = declaration.exec(source);
  if (match === null) {
    throw new SourceExtractionError(`${file}: no declaration of function '${name}' found`);
  }
  const start = match.index;
  const open = findBodyOpen(source, start + match[0].length - 1, file, name);
  const close = findMatchingBrace(source, open, file, name);
  const commentStart = leadingCommentStart(source, start);
  const text = dedent(source.slice(commentStart, close + 1));
  const line = source.slice(0, start).split('\n').length;
  return { name, text, line };
}

/** Skips the parameter list (balanced parentheses) and returns the index of the body's `{`. */
function findBodyOpen(source: string, from: number, file: string, name: string): number {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '(' || c === '<') depth++;
    else if (c === ')' || (c === '>' && source[i - 1] !== '=')) depth--;
    else if (c === '{' && depth === 0) return i;
  }
  throw new SourceExtractionError(`${file}: function '${name}' has no body`);
}

/** The index of the `}` closing the `{` at `open`, skipping strings, template literals and comments. */
function findMatchingBrace(source: string, open: number, file: string, name: string): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2) + 1;
      if (i <= 0) break;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipString(source, i);
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new SourceExtractionError(`${file}: the braces of function '${name}' do not balance`);
}

function skipString(source: string, at: number): number {
  const quote = source[at];
  for (let i = at + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  return source.length;
}

/** Walks back over whole-line comments directly above the declaration (no blank line between). */
function leadingCommentStart(source: string, declarationStart: number): number {
  let start = declarationStart;
  for (;;) {
    const prevEnd = start - 1;
    if (prevEnd <= 0) return start;
    const prevStart = source.lastIndexOf('\n', prevEnd - 1) + 1;
    const prevLine = source.slice(prevStart, prevEnd).trim();
    const isComment =
      prevLine.startsWith('//') ||
      prevLine.startsWith('/*') ||
      prevLine.startsWith('*') ||
      prevLine.endsWith('*/');
    if (!isComment || prevLine === '') return start;
    start = prevStart;
  }
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}
