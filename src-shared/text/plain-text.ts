/**
 * Text from files (project names, node labels, dataset and file names, error
 * messages quoting a file) made safe to print or show: a terminal interprets
 * control characters and escape sequences (clear the screen, set the window
 * title, rewrite earlier lines), so they are removed, whole, before printing.
 */
/* eslint-disable no-control-regex -- matching control characters is what this module is for */

// ESC [ … final byte (CSI), and its one-byte C1 form 0x9b.
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]/g;
// OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC \ or 0x9c), or to the end when unterminated.
const STRING_SEQUENCE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)/g;
// Any other escape: ESC, intermediate bytes, one final byte.
const OTHER_ESCAPE = /\x1b[ -/]*[0-~]?/g;
// C0 (but tab and newline), DEL, C1, and the Unicode controls that reorder or split displayed text.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` without control characters or escape sequences. One line by default
 * (tabs and newlines become spaces, so a name cannot fake a line of output);
 * `multiline` keeps tabs and newlines, for whole messages.
 */
export function plainText(text: string, options: { multiline?: boolean } = {}): string {
  const stripped = text.replace(STRING_SEQUENCE, '').replace(CSI, '').replace(OTHER_ESCAPE, '').replace(CONTROLS, '');
  return options.multiline ? stripped : stripped.replace(/[\t\n]/g, ' ');
}
