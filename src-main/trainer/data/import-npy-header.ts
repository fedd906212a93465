/**
 * The header of an NPY file: the Python literal dict NumPy writes,
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, parsed by a
 * small real parser rather than by regular expressions (which accepted
 * `(4,-2,-3)`, took the first of duplicate keys and found `'shape'` inside
 * another key's string). Exactly what NumPy's reader accepts from its own
 * writer is accepted, and a duplicate key keeps its last value as Python's
 * `ast.literal_eval` does, so the app and NumPy agree on every file both read.
 */
import { DatasetError, quoteSnippet } from './dataset';

/** What the header says. */
export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type Value = { kind: 'string'; text: string } | { kind: 'bool'; value: boolean } | { kind: 'tuple'; items: number[] } | { kind: 'list' };

/** Dimensions beyond this are refused outright (the value cap refuses far smaller products anyway). */
const MAX_DIMENSION = 2 ** 40;
const KEYS = ['descr', 'fortran_order', 'shape'] as const;

class Reader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly name: string,
  ) {}

  fail(what: string): never {
    const near = this.pos < this.text.length ? ` near ${quoteSnippet(this.text.slice(this.pos), 16)}` : ' at its end';
    throw new DatasetError(`${this.name}: the NPY header is not the dictionary NumPy writes: ${what}${near}`, 'Save the array again with numpy.save().');
  }

  space(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }

  /** Consumes `c` (after white space) if it is next. */
  eat(c: string): boolean {
    this.space();
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  expect(c: string, what: string): void {
    if (!this.eat(c)) this.fail(`expected ${what}`);
  }

  string(): string {
    this.space();
    const quote = this.text[this.pos];
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted string');
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail('a string is never closed');
    const text = this.text.slice(this.pos + 1, end);
    // NumPy's writer never escapes; a backslash or line break would change what Python reads.
    if (/[\\\n\r]/.test(text)) this.fail('a string holds a backslash or line break');
    this.pos = end + 1;
    return text;
  }

  /** A non-negative decimal integer as Python writes it (Python 2's `3L` included). */
  dimension(): number {
    this.space();
    const m = /^(-?)(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)(L?)/.exec(this.text.slice(this.pos, this.pos + 40));
    if (!m) this.fail('expected a dimension (a whole number)');
    const [whole, minus, digits] = m;
    if (minus) this.fail(`dimension -${digits} is negative`);
    if (!/^\d+$/.test(digits)) this.fail(`dimension ${digits} is not a whole number`);
    if (digits.length > 1 && digits.startsWith('0')) this.fail(`dimension ${digits} has a leading zero, which Python does not allow`);
    const n = Number(digits);
    if (n > MAX_DIMENSION) this.fail(`dimension ${digits} is larger than any array this app can hold`);
    this.pos += whole.length;
    return n;
  }

  value(): Value {
    this.space();
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return { kind: 'string', text: this.string() };
    if (this.text.startsWith('True', this.pos)) return this.word('True', true);
    if (this.text.startsWith('False', this.pos)) return this.word('False', false);
    if (c === '[') return this.list();
    if (c !== '(') this.fail('expected a string, True, False or a tuple');
    this.pos++;
    const items: number[] = [];
    if (this.eat(')')) return { kind: 'tuple', items };
    for (;;) {
      items.push(this.dimension());
      if (this.eat(')')) {
        // In Python "(4)" is the number 4, not a tuple: NumPy writes "(4,)".
        if (items.length === 1) this.fail('the shape "(n)" is a number in parentheses, not a tuple (NumPy writes "(n,)")');
        return { kind: 'tuple', items };
      }
      this.expect(',', 'a comma or ")" in the shape');
      if (this.eat(')')) return { kind: 'tuple', items };
    }
  }

  /** Skips a list (a structured dtype's fields), only to name it in the refusal. */
  list(): Value {
    let depth = 0;
    do {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('a list is never closed');
      if (c === "'" || c === '"') {
        this.string();
        continue;
      }
      if (c === '[' || c === '(') depth++;
      if (c === ']' || c === ')') depth--;
      this.pos++;
    } while (depth > 0);
    return { kind: 'list' };
  }

  word(text: string, value: boolean): Value {
    this.pos += text.length;
    if (/[\w]/.test(this.text[this.pos] ?? '')) this.fail('expected True or False');
    return { kind: 'bool', value };
  }
}

/** Parses the header text of an NPY file named `name`; refuses anything NumPy's own writer would not produce. */
export function parseNpyHeader(text: string, name: string): NpyHeader {
  const r = new Reader(text, name);
  const entries = new Map<string, Value>();
  r.expect('{', 'the header to open with "{"');
  if (!r.eat('}')) {
    for (;;) {
      const key = r.string();
      r.expect(':', 'a colon after a key');
      entries.set(key, r.value()); // a repeated key keeps its last value, as in Python
      if (r.eat('}')) break;
      r.expect(',', 'a comma or "}" after a value');
      if (r.eat('}')) break;
    }
  }
  r.space();
  if (r.pos !== text.length) r.fail('text after the closing "}"');
  const keys = [...entries.keys()];
  const extra = keys.filter((k) => !(KEYS as readonly string[]).includes(k));
  const missing = KEYS.filter((k) => !entries.has(k));
  if (extra.length || missing.length) {
    const parts = [...(missing.length ? [`lacks ${missing.map((k) => `'${k}'`).join(', ')}`] : []), ...(extra.length ? [`has the unexpected key ${quoteSnippet(extra[0], 20)}`] : [])];
    throw new DatasetError(`${name}: the NPY header ${parts.join(' and ')} (it must have exactly 'descr', 'fortran_order' and 'shape')`, 'Save the array again with numpy.save().');
  }
  const descr = entries.get('descr')!;
  const fortran = entries.get('fortran_order')!;
  const shape = entries.get('shape')!;
  if (descr.kind === 'list') throw new DatasetError(`${name} holds a structured array (a record of named fields), which cannot be trained on`, "Save one numeric field: numpy.save(path, array['field'].astype('float32')).");
  if (descr.kind !== 'string') throw new DatasetError(`${name}: the NPY header's 'descr' is not a string`, 'Save the array again with numpy.save().');
  if (fortran.kind !== 'bool') throw new DatasetError(`${name}: the NPY header's 'fortran_order' is not True or False`, 'Save the array again with numpy.save().');
  if (shape.kind !== 'tuple') throw new DatasetError(`${name}: the NPY header's 'shape' is not a tuple of whole numbers`, 'Save the array again with numpy.save().');
  return { descr: descr.text, fortranOrder: fortran.value, shape: shape.items };
}
