import { describe, expect, it } from 'vitest';
import { highlight } from '../web/sections/implementation/highlight.js';

describe('highlight', () => {
  const source = '// step\nconst G = r(sum[i] + 1e-10); // \'x\'\nif (s.eps !== 0) p = "<b>";\n';
  const tokens = highlight(source);

  it('loses no character: the tokens concatenate back to the source', () => {
    expect(tokens.map((t) => t.text).join('')).toBe(source);
  });

  it('classifies comments, keywords, numbers, strings and type names', () => {
    const kinds = (kind: string): string[] => tokens.filter((t) => t.kind === kind).map((t) => t.text);
    expect(kinds('comment')).toEqual(['// step', "// 'x'"]);
    expect(kinds('keyword')).toEqual(['const', 'if']);
    expect(kinds('number')).toEqual(['1e-10', '0']);
    expect(kinds('string')).toEqual(['"<b>"']);
    expect(kinds('type')).toEqual(['G']);
  });
});
