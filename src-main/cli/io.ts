/** Where CLI commands write, so tests can capture it without spawning a process. */
import { plainText } from '../../src-shared/text/plain-text';

/** The one escape sequence the CLI writes on purpose: back to the line's start and clear it (the progress bar). */
export const CLEAR_LINE = '\r\x1b[2K';

/** Where CLI commands write. */
export interface CliIo {
  /** Normal output (machine-readable results). */
  out(text: string): void;
  /** Messages for the person: progress, warnings, errors. */
  err(text: string): void;
  /** Redraws the progress line on a TTY; typed to the one sequence, so no text from a file can pass through it. */
  control?(sequence: typeof CLEAR_LINE): void;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  control: (sequence) => process.stderr.write(sequence),
};

/**
 * `io` with every write passed through {@link plainText}: names, labels and
 * messages come from files, and a terminal would obey escape sequences in them.
 * runCli wraps its io with this once, so every command's output goes through it.
 */
export function terminalSafe(io: CliIo): CliIo {
  return {
    out: (text) => io.out(plainText(text, { multiline: true })),
    err: (text) => io.err(plainText(text, { multiline: true })),
    control: (sequence) => (io.control ? io.control(sequence) : io.err(sequence)),
  };
}
