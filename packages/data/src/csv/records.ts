// Splits CSV text into records with their line numbers: delimiters , ; or tab, quoted fields
// (with "" escapes and line breaks inside quotes), CRLF, a leading BOM.
import { CsvImportError } from './errors';

export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  readonly fields: string[];
  /** Line on which the record starts (1-based). */
  readonly line: number;
}

/** Picks the delimiter that splits the header line into the most fields. */
export function detectDelimiter(headerLine: string): Delimiter {
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t'] as const) {
    const count = splitQuoted(headerLine, candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Splits one line that holds no line break inside quotes. */
function splitQuoted(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Calls `onRecord` for every non-blank record. Blank lines are allowed only at the end: a blank
 * line followed by more data usually means two files were glued together.
 */
export function forEachRecord(
  text: string,
  delimiter: Delimiter,
  file: string,
  onRecord: (record: CsvRecord) => void,
): void {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let blankLine = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    let lineText = text.slice(pos, end);
    if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
    if (lineText.trim() === '') {
      if (blankLine === 0) blankLine = line;
      pos = end + 1;
      line++;
      continue;
    }
    if (blankLine !== 0) {
      throw new CsvImportError(
        { file, line: blankLine },
        `blank line inside the data (more rows follow on line ${line}); remove it or split the file`,
      );
    }
    const startLine = line;
    if (!lineText.includes('"') || balancedQuotes(lineText)) {
      onRecord({ fields: splitQuoted(lineText, delimiter), line: startLine });
      pos = end + 1;
      line++;
      continue;
    }
    // A quoted field runs over a line break: read on until the quote closes.
    const { fields, next, lines } = readMultiline(text, pos, delimiter, file, startLine);
    onRecord({ fields, line: startLine });
    pos = next;
    line += lines;
  }
}

function balancedQuotes(line: string): boolean {
  let count = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

function readMultiline(
  text: string,
  start: number,
  delimiter: string,
  file: string,
  startLine: number,
): { fields: string[]; next: number; lines: number } {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let lines = 0;
  let i = start;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') lines++;
        field += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n') break;
    else if (ch !== '\r') field += ch;
  }
  if (quoted) {
    throw new CsvImportError({ file, line: startLine }, 'a quoted field is never closed (missing ")');
  }
  fields.push(field);
  return { fields, next: i + 1, lines: lines + 1 };
}
