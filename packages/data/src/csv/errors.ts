// The one error a bad candle file produces: where it is (file, line, column) and what is wrong.

export interface CsvErrorLocation {
  readonly file: string;
  /** 1-based physical line in the file (the header is line 1). */
  readonly line: number;
  /** The column's name as the header spells it, when one column is at fault. */
  readonly column?: string;
}

export class CsvImportError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: string | undefined;

  constructor(location: CsvErrorLocation, problem: string) {
    super(`${location.file}:${location.line}: ${problem}`);
    this.name = 'CsvImportError';
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
  }
}
