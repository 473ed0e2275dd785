// Tokens of the DSL text with 1-based line/column positions. The lexer is pulled by the parser one token
// at a time, so the parser can switch to raw mode for the free text after `constraint`.

export type TokenKind = 'ident' | 'number' | 'string' | 'paramref' | 'punct' | 'newline' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token. */
  readonly text: string;
  /** Decoded value: the number, the string contents, the parameter name (without `$`), or the text. */
  readonly value: string | number;
  readonly line: number;
  readonly column: number;
  /** Offsets into the source: [start, end). */
  readonly start: number;
  readonly end: number;
}

/** A problem at a place in the text. The parser turns it into a SYNTAX_ERROR diagnostic. */
export class TextError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'TextError';
  }
}

const PUNCTUATION = new Set(['=', '(', ')', ',', ':', '.', '@', '[', ']', '{', '}']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** How a token reads in an error message: `'slow'`, `end of line`, `end of text`. */
export function describeToken(token: Token): string {
  if (token.kind === 'newline') return 'end of line';
  if (token.kind === 'eof') return 'end of text';
  const text = token.text.length > 30 ? `${token.text.slice(0, 27)}...` : token.text;
  return token.kind === 'string' ? text : `'${text}'`;
}

export class Lexer {
  private offset = 0;
  private line = 1;
  /** Offset where the current line starts, to compute columns. */
  private lineStart = 0;
  private peeked: Token | undefined;

  constructor(private readonly source: string) {}

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  /**
   * The first character after spaces and tabs, without consuming anything. The parser uses it to tell
   * `constraint = f(...)` (a node called constraint) from `constraint fast < slow`.
   */
  nextNonSpaceChar(): string | undefined {
    let i = this.peeked ? this.peeked.start : this.offset;
    while (this.source[i] === ' ' || this.source[i] === '\t') i++;
    return this.source[i];
  }

  /**
   * The rest of the current line up to a `#` comment, without surrounding spaces and tabs, for
   * unquoted constraints. Returns its position too, for error messages.
   */
  restOfLine(): { text: string; line: number; column: number } {
    this.peeked = undefined;
    while (this.source[this.offset] === ' ' || this.source[this.offset] === '\t') this.offset++;
    const begin = this.offset;
    while (this.offset < this.source.length && !'#\n\r'.includes(this.source[this.offset]!)) this.offset++;
    let finish = this.offset;
    while (finish > begin && (this.source[finish - 1] === ' ' || this.source[finish - 1] === '\t')) finish--;
    return { text: this.source.slice(begin, finish), line: this.line, column: begin - this.lineStart + 1 };
  }

  /**
   * Error recovery: moves to the first line after `line` that starts with an identifier in column 1,
   * which is where the next statement most likely begins (continuation lines of a wrapped call are indented).
   */
  skipToStatementAfter(line: number): void {
    this.peeked = undefined;
    // The lexer may be anywhere; restart from the beginning of the text position we know.
    let offset = this.offset;
    let current = this.line;
    let start = this.lineStart;
    if (current > line) {
      // Already past the error line: go back to the start of the current line and check it too.
      offset = start;
    }
    while (offset < this.source.length) {
      const atLineStart = offset === start;
      if (atLineStart && current > line && isIdentStart(this.source[offset])) break;
      if (this.source[offset] === '\n') {
        current++;
        start = offset + 1;
      }
      offset++;
    }
    this.offset = offset;
    this.line = current;
    this.lineStart = start;
  }

  private error(message: string, offset: number): TextError {
    const column = offset - this.lineStart + 1;
    return new TextError(`line ${this.line}, column ${column}: ${message}`, this.line, column);
  }

  private token(kind: TokenKind, start: number, value?: string | number): Token {
    const text = this.source.slice(start, this.offset);
    return {
      kind,
      text,
      value: value ?? text,
      line: this.line,
      column: start - this.lineStart + 1,
      start,
      end: this.offset,
    };
  }

  private scan(): Token {
    const s = this.source;
    for (;;) {
      const c = s[this.offset];
      if (c === ' ' || c === '\t' || (c === '\r' && s[this.offset + 1] === '\n')) this.offset++;
      else if (c === '#') while (this.offset < s.length && s[this.offset] !== '\n') this.offset++;
      else break;
    }
    const start = this.offset;
    const c = s[start];
    if (c === undefined) return this.token('eof', start);
    if (c === '\n') {
      this.offset++;
      const token = this.token('newline', start);
      this.line++;
      this.lineStart = this.offset;
      return token;
    }
    if (isIdentStart(c)) {
      while (isIdentPart(s[this.offset])) this.offset++;
      return this.token('ident', start);
    }
    if (c === '$') {
      this.offset++;
      if (!isIdentStart(s[this.offset])) {
        throw this.error("expected a strategy parameter name right after '$' (like $fast)", this.offset);
      }
      while (isIdentPart(s[this.offset])) this.offset++;
      return this.token('paramref', start, s.slice(start + 1, this.offset));
    }
    if (isDigit(c) || (c === '-' && isDigit(s[start + 1]))) return this.number(start);
    if (c === '"') return this.string(start);
    if (c === '.' && s[start + 1] === '.') {
      this.offset += 2;
      return this.token('punct', start);
    }
    if (PUNCTUATION.has(c)) {
      this.offset++;
      return this.token('punct', start);
    }
    const shown = c === '\r' ? 'a carriage return' : `'${String.fromCodePoint(s.codePointAt(start)!)}'`;
    throw this.error(`unexpected character ${shown}`, start);
  }

  /** JSON number syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? — `2..50` lexes as 2, `..`, 50. */
  private number(start: number): Token {
    const s = this.source;
    if (s[this.offset] === '-') this.offset++;
    if (s[this.offset] === '0' && isDigit(s[this.offset + 1])) {
      throw this.error('a number may not start with 0 followed by digits (write 7, not 07)', start);
    }
    while (isDigit(s[this.offset])) this.offset++;
    if (s[this.offset] === '.' && s[this.offset + 1] !== '.') {
      this.offset++;
      if (!isDigit(s[this.offset])) throw this.error("expected a digit after '.' in a number", this.offset);
      while (isDigit(s[this.offset])) this.offset++;
    }
    if (s[this.offset] === 'e' || s[this.offset] === 'E') {
      this.offset++;
      if (s[this.offset] === '+' || s[this.offset] === '-') this.offset++;
      if (!isDigit(s[this.offset]))
        throw this.error('expected a digit in the exponent of a number', this.offset);
      while (isDigit(s[this.offset])) this.offset++;
    }
    if (isIdentPart(s[this.offset])) {
      throw this.error(
        `unexpected '${s[this.offset]}' right after the number ${s.slice(start, this.offset)}`,
        this.offset,
      );
    }
    return this.token('number', start, Number(s.slice(start, this.offset)));
  }

  /** JSON string syntax, so every string the printer writes with JSON.stringify reads back exactly. */
  private string(start: number): Token {
    const s = this.source;
    this.offset++;
    for (;;) {
      const c = s[this.offset];
      if (c === undefined || c === '\n' || c === '\r') {
        throw this.error('this string is not closed: add a " before the end of the line', start);
      }
      if (c === '"') break;
      if (c < ' ') {
        throw this.error(
          'a control character must be escaped inside a string (write \\t, \\n, \\u0001)',
          this.offset,
        );
      }
      if (c === '\\') {
        const escaped = s[this.offset + 1];
        if (escaped === undefined || !ESCAPES.has(escaped)) {
          throw this.error(
            `unknown escape '\\${escaped ?? ''}' in a string (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)`,
            this.offset,
          );
        }
        if (escaped === 'u' && !/^[0-9A-Fa-f]{4}$/.test(s.slice(this.offset + 2, this.offset + 6))) {
          throw this.error('expected four hex digits after \\u in a string', this.offset);
        }
        this.offset += escaped === 'u' ? 6 : 2;
      } else {
        this.offset++;
      }
    }
    this.offset++;
    const text = s.slice(start, this.offset);
    return this.token('string', start, JSON.parse(text) as string);
  }
}
