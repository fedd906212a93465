/** Where CLI commands write, so tests can capture it without spawning a process. */
export interface CliIo {
  /** Normal output (machine-readable results). */
  out(text: string): void;
  /** Messages for the person: progress, warnings, errors. */
  err(text: string): void;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
