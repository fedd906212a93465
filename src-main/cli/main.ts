/**
 * The `aestudio` command line: the app's engine without a window, for
 * scripts, CI and machines without a display.
 */
import { parseArgs } from 'node:util';
import { compileCommand } from './compile-command';
import { processIo } from './io';
import type { CliIo } from './io';

const USAGE = `Usage: aestudio <command> [options]

Commands:
  compile FILE     Compile a project file (.aestudio); print its model spec as JSON,
                   or its diagnostics and exit 1.

Options:
  -h, --help       Show this help.
`;

/** Runs the CLI with the given arguments (without node and the script path); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    (command ? io.out : io.err)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  switch (command) {
    case 'compile':
      if (rest.length !== 1) {
        io.err(`compile takes one project file.\n\n${USAGE}`);
        return 2;
      }
      return compileCommand(rest[0], io);
    default:
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}
