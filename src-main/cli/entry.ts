/** Process entry of the CLI: runs it and sets the exit code (no process.exit, so output is flushed). */
import { runCli } from './main';

process.exitCode = await runCli(process.argv.slice(2));
