/**
 * The host's handle on a trainer process, and the plain-Node way to start
 * one (child_process.fork). Electron starts it as a utilityProcess instead
 * (src-main/electron/trainer-launcher.ts); both satisfy TrainerChild.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nativeLogFilter } from './native-log';
import { plainText } from '../../../src-shared/text/plain-text';

/** A running trainer process, as the host sees it. */
export interface TrainerChild {
  /** OS process id, where the shell exposes it (benchmarks read its memory). */
  pid?: number;
  send(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  onExit(handler: (description: string) => void): void;
  kill(): void;
}

/** Starts a trainer process. */
export type TrainerLauncher = () => TrainerChild;

/**
 * The trainer entry: the bundled `trainer.js` beside this module when built
 * (this code then lives in out/main/, beside trainer.js), else the TypeScript
 * source run through tsx (CLI and tests from a checkout). tsx is named by its
 * absolute URL, resolved from this package: a bare `--import tsx` would be
 * resolved from the current folder, and fail anywhere but the checkout.
 */
export function trainerEntry(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./trainer.js', import.meta.url));
  if (existsSync(built)) return { file: built, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: fileURLToPath(new URL('../entry.ts', import.meta.url)), execArgv: ['--import', tsx] };
}

/** Forks the trainer as a Node child process with structured-clone messaging (typed arrays stay typed). */
export function forkLauncher(extraExecArgv: readonly string[] = []): TrainerLauncher {
  return () => {
    const { file, execArgv } = trainerEntry();
    const child = fork(file, [], { execArgv: [...execArgv, ...extraExecArgv], serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    // The trainer logs unexpected errors, whose messages may quote a file (a layer name from a
    // model.json): through plainText, so escape sequences in them never reach the terminal.
    // TensorFlow's native load-time info lines (tfjs-node) are dropped: nothing in them to act on.
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      const lines = nativeLogFilter((text) => void to.write(plainText(text, { multiline: true })));
      from?.setEncoding('utf8').on('data', (text: string) => lines.push(text)).on('end', () => lines.end());
    }
    return {
      pid: child.pid,
      send: (m) => void child.send(m as never),
      onMessage: (h) => void child.on('message', h),
      onExit: (h) => void child.on('exit', (code, signal) => h(signal ? `killed by ${signal}` : `exit code ${code}`)),
      kill: () => void child.kill(),
    };
  };
}
