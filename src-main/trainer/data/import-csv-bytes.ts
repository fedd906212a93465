/**
 * CSV at the byte level, so that no part of a file becomes a string before
 * it is known to be small: the whole file used to be decoded at once, and a
 * 629 MB single-line CSV failed with ERR_STRING_TOO_LONG. A scan first
 * refuses UTF-16 and binary files by name and bounds the file and its
 * longest line; the tokenizer then hands out cells as byte ranges (RFC 4180
 * quoting; "\r\n", "\n" and "\r" all end a row, mixed as they may be).
 */
import { DatasetError } from './dataset';
import { formatBytes } from '../../../src-shared/util/format-bytes';

/** Bounds checked before anything is decoded; tests lower them. */
export interface CsvLimits {
  /** The file, after gunzip. */
  maxBytes: number;
  /** One physical line. */
  maxLineBytes: number;
  /** Values of the dataset (rows × feature columns). */
  maxValues: number;
}

const SAVE_AS_UTF8 = 'Save it as UTF-8: in Excel choose "CSV UTF-8 (Comma delimited)"; in other programs, the encoding option of "Save as".';

/** Refuses what is not a UTF-8 CSV of bounded lines; returns the offset after a UTF-8 byte-order mark. */
export function checkCsvBytes(b: Uint8Array, name: string, limits: CsvLimits): number {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) throw new DatasetError(`${name} is UTF-16 text (it starts with a UTF-16 byte-order mark)`, SAVE_AS_UTF8);
  if (b.length > limits.maxBytes) throw new DatasetError(`${name} is ${formatBytes(b.length)}, more than the ${formatBytes(limits.maxBytes)} a CSV import may be`, 'Use a subset of the rows, or save the array as NPY (numpy.save), which is read without parsing text.');
  const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let line = 1;
  let lineStart = bom;
  for (let i = bom; i <= b.length; i++) {
    const c = i < b.length ? b[i] : 10;
    if (c === 0) throw nulRefusal(b, name);
    if (c !== 10 && c !== 13) continue;
    if (i - lineStart > limits.maxLineBytes) {
      throw new DatasetError(`${name}, row ${line}: the line is ${formatBytes(i - lineStart)} long, more than the ${formatBytes(limits.maxLineBytes)} a row may be`, 'A row is one sample: check that the rows are separated by line breaks, or save the array as NPY (numpy.save).');
    }
    if (c === 13 && b[i + 1] === 10) i++;
    line++;
    lineStart = i + 1;
  }
  return bom;
}

/** A NUL byte: UTF-16 when the NULs fall on every other byte (ASCII text in UTF-16), else a binary file. */
function nulRefusal(b: Uint8Array, name: string): DatasetError {
  const n = Math.min(b.length, 1024) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (b[i] !== 0) continue;
    if (i % 2) odd++;
    else even++;
  }
  if (Math.max(even, odd) >= n / 4) return new DatasetError(`${name} is UTF-16 text (every other byte is zero)`, SAVE_AS_UTF8);
  return new DatasetError(`${name} holds NUL bytes, so it is not a text file`, 'Choose a CSV file (text), or for binary arrays an NPY or IDX file.');
}

/** Cell flags: how its bytes become text. */
const PLAIN = 0;
const QUOTED = 1;
const ESCAPED = 2; // quoted with "" inside

/** The current record of a `CsvTokenizer`: cells as byte ranges into the file, reused from record to record. */
export class CsvRecord {
  /** The physical line the record starts on (1-based). */
  line = 0;
  length = 0;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private flags = new Uint8Array(64);

  constructor(private readonly bytes: Buffer) {}

  push(start: number, end: number, flag: number): void {
    if (this.length === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T) => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts, (n) => new Int32Array(n));
      this.ends = grow(this.ends, (n) => new Int32Array(n));
      this.flags = grow(this.flags, (n) => new Uint8Array(n));
    }
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.flags[this.length++] = flag;
  }

  /** Whether the record is a blank line (skipped, as blank lines are). */
  get blank(): boolean {
    return this.length === 1 && this.flags[0] === PLAIN && this.starts[0] === this.ends[0];
  }

  /**
   * Cell `i` as a string if it is a number in decimal notation (`[+-]digits[.digits][e[+-]digits]`, digits on
   * at least one side of the point), else null. Checked on the bytes: several times faster than a regular
   * expression over a string made first (measured on a 53 MB CSV).
   */
  decimal(i: number): string | null {
    if (this.flags[i] === ESCAPED) return null;
    const b = this.bytes;
    const end = this.ends[i];
    let k = this.starts[i];
    let s = '';
    let c = b[k];
    if (c === 0x2b || c === 0x2d) {
      s += String.fromCharCode(c);
      c = b[++k];
    }
    let digits = 0;
    for (; k < end && c >= 0x30 && c <= 0x39; c = b[++k], digits++) s += String.fromCharCode(c);
    if (k < end && c === 0x2e) {
      s += '.';
      for (c = b[++k]; k < end && c >= 0x30 && c <= 0x39; c = b[++k], digits++) s += String.fromCharCode(c);
    }
    if (digits === 0) return null;
    if (k < end && (c === 0x65 || c === 0x45)) {
      s += 'e';
      c = b[++k];
      if (k < end && (c === 0x2b || c === 0x2d)) {
        s += String.fromCharCode(c);
        c = b[++k];
      }
      let exponent = 0;
      for (; k < end && c >= 0x30 && c <= 0x39; c = b[++k], exponent++) s += String.fromCharCode(c);
      if (exponent === 0) return null;
    }
    return k === end ? s : null;
  }

  /** Cell `i` as text; invalid UTF-8 is refused, naming the row. */
  text(i: number, name: string): string {
    let s: string;
    try {
      s = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.starts[i], this.ends[i]));
    } catch {
      throw new DatasetError(`${name}, row ${this.line}, column ${i + 1} is not valid UTF-8 text`, SAVE_AS_UTF8);
    }
    return this.flags[i] === ESCAPED ? s.replaceAll('""', '"') : s;
  }

  /** Cell `i` decoded leniently, only to quote it in a message. */
  lenient(i: number): string {
    return this.bytes.toString('utf8', this.starts[i], this.ends[i]);
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;
const ends = (c: number | undefined) => c === undefined || c === 0x2c || c === 0x0a || c === 0x0d;

/** Reads records one at a time from the bytes (after `start`, past a BOM), skipping blank lines. */
export class CsvTokenizer {
  private i: number;
  private lineNo = 1;
  private readonly bytes: Buffer;
  readonly record: CsvRecord;

  constructor(
    bytes: Uint8Array,
    start: number,
    private readonly name: string,
  ) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.record = new CsvRecord(this.bytes);
    this.i = start;
  }

  private fail(what: string, line: number): never {
    throw new DatasetError(`${this.name}, row ${line}: ${what}`, 'Check the quoting: a cell with a comma, quote or line break is written in double quotes, with quotes inside it doubled ("").');
  }

  /** Advances to the next non-blank record; false at the end of the file. */
  next(): boolean {
    const b = this.bytes;
    const n = b.length;
    const rec = this.record;
    while (this.i < n) {
      rec.line = this.lineNo;
      rec.length = 0;
      let i = this.i;
      for (;;) {
        while (i < n && isSpace(b[i])) i++;
        if (b[i] === 0x22) {
          const opened = this.lineNo;
          const s = ++i;
          let flag = QUOTED;
          for (;;) {
            if (i >= n) this.fail('a quoted cell is never closed', opened);
            const c = b[i];
            if (c === 0x22) {
              if (b[i + 1] !== 0x22) break;
              flag = ESCAPED;
              i += 2;
              continue;
            }
            if (c === 0x0a || (c === 0x0d && b[i + 1] !== 0x0a)) this.lineNo++;
            i++;
          }
          rec.push(s, i++, flag);
          while (i < n && isSpace(b[i])) i++;
          if (!ends(b[i])) this.fail('text after the closing quote of a cell', this.lineNo);
        } else {
          const s = i;
          while (!ends(b[i])) {
            if (b[i] === 0x22) this.fail('a quote inside a cell that does not start with one', this.lineNo);
            i++;
          }
          let e = i;
          while (e > s && isSpace(b[e - 1])) e--;
          rec.push(s, e, PLAIN);
        }
        if (b[i] !== 0x2c) break;
        i++;
      }
      if (i < n) {
        if (b[i] === 0x0d && b[i + 1] === 0x0a) i++;
        i++;
        this.lineNo++;
      }
      this.i = i;
      if (!rec.blank) return true;
    }
    return false;
  }
}
