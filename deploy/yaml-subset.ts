// Reads the small YAML subset docker-compose.yml is written in, so a test can check the compose file
// against the env module without a YAML dependency. Anything outside the subset is refused, never guessed.
//
// Subset: `key: value` and `key:` followed by a block indented by two more spaces; `- value` list items
// of scalars; values are plain text, 'single' or "double" quoted strings, or JSON flow values ([..], {..});
// full-line and ` #` trailing comments.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  number: number;
  indent: number;
  text: string;
}

export function parseYamlSubset(source: string): { [key: string]: YamlValue } {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, index) => {
    if (raw.includes('\t')) throw fail(index + 1, 'tabs are not allowed; indent with spaces');
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '') return;
    lines.push({ number: index + 1, indent: text.length - text.trimStart().length, text: text.trim() });
  });
  const state = { at: 0 };
  const root = readBlock(lines, state, 0);
  if (Array.isArray(root)) throw fail(lines[0]?.number ?? 1, 'the document must be a mapping');
  if (state.at < lines.length) throw fail(lines[state.at]!.number, 'unexpected indentation');
  return root as { [key: string]: YamlValue };
}

function readBlock(lines: Line[], state: { at: number }, indent: number): YamlValue {
  const first = lines[state.at];
  if (first === undefined || first.indent !== indent) {
    throw fail(first?.number ?? lines.length, `expected a block indented by ${indent} spaces`);
  }
  const isList = first.text.startsWith('- ') || first.text === '-';
  const list: YamlValue[] = [];
  const map: { [key: string]: YamlValue } = {};
  while (state.at < lines.length) {
    const line = lines[state.at]!;
    if (line.indent < indent) break;
    if (line.indent > indent) throw fail(line.number, 'unexpected indentation');
    state.at += 1;
    if (isList) {
      if (!line.text.startsWith('- ')) throw fail(line.number, 'expected a "- item" like the lines above');
      list.push(scalar(line.text.slice(2).trim(), line.number));
      continue;
    }
    const match = /^([A-Za-z0-9_.-]+|"[^"]*"):(?:\s+(.*))?$/.exec(line.text);
    if (match === null) throw fail(line.number, 'expected "key: value" or "key:"');
    const key = match[1]!.startsWith('"') ? (JSON.parse(match[1]!) as string) : match[1]!;
    if (key in map) throw fail(line.number, `duplicate key "${key}"`);
    const next = lines[state.at];
    if (match[2] !== undefined) map[key] = scalar(match[2], line.number);
    else if (next !== undefined && next.indent > indent) map[key] = readBlock(lines, state, next.indent);
    else map[key] = null;
  }
  return isList ? list : map;
}

function scalar(text: string, lineNumber: number): YamlValue {
  if (/^[&*!|>%@`]/.test(text))
    throw fail(lineNumber, `"${text[0]}" (anchors, tags, block scalars) is not supported`);
  if (text.startsWith('"') || text.startsWith('[') || text.startsWith('{')) {
    try {
      return JSON.parse(text) as YamlValue;
    } catch {
      throw fail(lineNumber, 'quoted or flow value is not valid JSON');
    }
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw fail(lineNumber, 'unterminated single-quoted string');
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

// A # starts a comment at the start of a line or after a space, outside quotes.
function stripComment(raw: string): string {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || raw[i - 1] === ' ')) return raw.slice(0, i);
  }
  return raw;
}

function fail(lineNumber: number, problem: string): Error {
  return new Error(`docker-compose.yml line ${lineNumber}: ${problem}`);
}
