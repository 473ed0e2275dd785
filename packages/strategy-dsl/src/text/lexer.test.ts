// The lexer: token kinds, decoded values and 1-based positions.
import { describe, expect, it } from 'vitest';
import { Lexer, type Token } from './lexer';

function tokens(source: string): Pick<Token, 'kind' | 'value' | 'line' | 'column'>[] {
  const lexer = new Lexer(source);
  const out: Pick<Token, 'kind' | 'value' | 'line' | 'column'>[] = [];
  for (;;) {
    const { kind, value, line, column } = lexer.next();
    out.push({ kind, value, line, column });
    if (kind === 'eof') return out;
  }
}

describe('Lexer', () => {
  it('reads a range as number, .., number and tracks lines and columns', () => {
    expect(tokens('range 0.5..-5 # note\n  $fast "é\\n"')).toStrictEqual([
      { kind: 'ident', value: 'range', line: 1, column: 1 },
      { kind: 'number', value: 0.5, line: 1, column: 7 },
      { kind: 'punct', value: '..', line: 1, column: 10 },
      { kind: 'number', value: -5, line: 1, column: 12 },
      { kind: 'newline', value: '\n', line: 1, column: 21 },
      { kind: 'paramref', value: 'fast', line: 2, column: 3 },
      { kind: 'string', value: 'é\n', line: 2, column: 9 },
      { kind: 'eof', value: '', line: 2, column: 14 },
    ]);
  });

  it('reads the rest of a line for constraints, up to a comment', () => {
    const lexer = new Lexer('constraint  a < b  # why\nx');
    lexer.next();

    expect(lexer.restOfLine()).toStrictEqual({ text: 'a < b', line: 1, column: 13 });
    expect(lexer.next().kind).toBe('newline');
  });

  it('rejects a number glued to a word', () => {
    expect(() => tokens('x = 12abc')).toThrow("line 1, column 7: unexpected 'a' right after the number 12");
  });

  it('rejects an exponent without digits', () => {
    expect(() => tokens('1e+')).toThrow('line 1, column 4: expected a digit in the exponent of a number');
  });

  it('rejects a raw control character and a short \\u escape inside a string', () => {
    expect(() => tokens('"a\tb"')).toThrow('line 1, column 3: a control character must be escaped');
    expect(() => tokens('"\\u12"')).toThrow(
      'line 1, column 2: expected four hex digits after \\u in a string',
    );
  });

  it('names a lone carriage return instead of printing it', () => {
    expect(() => tokens('a\rb')).toThrow('line 1, column 2: unexpected character a carriage return');
  });
});
