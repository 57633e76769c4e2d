/**
 * Word tokenizers for text and mail. Deterministic and browser-safe, so the command line, the
 * corpus export and the explainer turn the same text into the same features.
 *
 * A token is, after lowercasing (String.prototype.toLowerCase, locale-independent):
 *  - a run of Unicode letters and digits, where a single `'`, `.`, `-`, `_` or `@` between two such
 *    runs stays inside the token (so "don't", "3.14", "e-mail", "user@example.com",
 *    "spamassassin.taint.org" are one token each), or
 *  - one of the characters `$` and `!` on its own (strong spam signals that a letters-only
 *    tokenizer would throw away).
 * Tokens longer than MAX_TOKEN_LENGTH UTF-16 code units (JavaScript's string length) are dropped: in mail they are base64 or encoded
 * junk, unique per message, which would only fill the hash table.
 */

export const MAX_TOKEN_LENGTH = 40;

/** The token rule above as one regular expression: the specification the scanner below follows. */
export const TOKEN_PATTERN = /[\p{L}\p{N}]+(?:['.\-_@][\p{L}\p{N}]+)*|[$!]/gu;

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const nonAsciiWordChar = new Map<number, boolean>();

/** Whether the code point is a letter or digit; ASCII answered inline, the rest cached. */
function isWordChar(codePoint: number): boolean {
  if (codePoint < 128) {
    return (
      (codePoint >= 97 && codePoint <= 122) ||
      (codePoint >= 48 && codePoint <= 57) ||
      (codePoint >= 65 && codePoint <= 90)
    );
  }
  let known = nonAsciiWordChar.get(codePoint);
  if (known === undefined) {
    known = LETTER_OR_DIGIT.test(String.fromCodePoint(codePoint));
    nonAsciiWordChar.set(codePoint, known);
  }
  return known;
}

function isJoiner(c: number): boolean {
  return c === 39 /* ' */ || c === 46 /* . */ || c === 45 /* - */ || c === 95 /* _ */ || c === 64; /* @ */
}

/**
 * The lowercase word tokens of `text`, in order, duplicates kept. A hand-written scan equivalent to
 * TOKEN_PATTERN (tested against it), 1.5 to 2.5 times faster than matching the regular expression.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const lower = text.toLowerCase();
  const n = lower.length;
  let i = 0;
  while (i < n) {
    const c = lower.codePointAt(i)!;
    if (isWordChar(c)) {
      const start = i;
      i = skipWordChars(lower, i);
      while (i + 1 < n && isJoiner(lower.charCodeAt(i)) && isWordChar(lower.codePointAt(i + 1)!)) {
        i = skipWordChars(lower, i + 1);
      }
      if (i - start <= MAX_TOKEN_LENGTH) {
        tokens.push(lower.slice(start, i));
      }
    } else {
      if (c === 36) tokens.push('$');
      else if (c === 33) tokens.push('!');
      i += c > 0xffff ? 2 : 1;
    }
  }
  return tokens;
}

function skipWordChars(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.codePointAt(i)!;
    if (!isWordChar(c)) break;
    i += c > 0xffff ? 2 : 1;
  }
  return i;
}

/**
 * Tokens of an RFC 822 mail message, headers and body. The header block ends at the first empty
 * line. Each header's tokens are prefixed with its lowercased field name and a colon
 * ("subject:free", "from:example.com"), because the same word means something else in a Subject
 * than in a Received line; folded continuation lines belong to the header above them. The body's
 * tokens are plain, as from `tokenize`. Text with no header block is all body.
 */
export function tokenizeMail(message: string): string[] {
  const { headers, body } = splitMail(message);
  const tokens: string[] = [];
  for (const [field, value] of headers) {
    const prefix = `${field.toLowerCase()}:`;
    for (const token of tokenize(value)) tokens.push(prefix + token);
  }
  for (const token of tokenize(body)) tokens.push(token);
  return tokens;
}

const HEADER_LINE = /^([!-9;-~]+):(.*)$/;

/** Splits a message into its [field, value] headers (continuations joined) and its body. */
export function splitMail(message: string): { headers: Array<[string, string]>; body: string } {
  const text = message.replace(/\r\n/g, '\n');
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const headers: Array<[string, string]> = [];
  const lines = head.split('\n');
  // An mbox "From " envelope line may precede the headers; it is header-like metadata.
  let first = 0;
  if (lines[0]?.startsWith('From ')) {
    headers.push(['from_', lines[0].slice(5)]);
    first = 1;
  }
  for (let i = first; i < lines.length; i++) {
    const line = lines[i];
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      headers[headers.length - 1][1] += ' ' + line.trim();
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (match === null) {
      // Not a header block after all: treat the whole message as body.
      return { headers: [], body: text };
    }
    headers.push([match[1], match[2]]);
  }
  return { headers, body: blank < 0 ? '' : text.slice(blank + 2) };
}
