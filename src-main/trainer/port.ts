/**
 * The trainer's end of its message channel, the same whether it runs as an
 * Electron utilityProcess (process.parentPort) or as a Node child process
 * (process.send, with structured-clone serialisation so typed arrays travel
 * as typed arrays).
 */

/** Sends and receives messages to and from the host. */
export interface TrainerPort {
  post(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  /** Messages posted but not yet handed to the channel (0 where the channel cannot say). */
  backlog(): number;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** The port of the current process. */
export function processPort(): TrainerPort {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return { post: (m) => parentPort.postMessage(m), onMessage: (h) => parentPort.on('message', (e) => h(e.data)), backlog: () => 0 };
  }
  if (!process.send) throw new Error('The trainer must be started by the app (as a child or utility process), not directly.');
  let pending = 0;
  return {
    // The callback runs once the message is written to the channel: until then it holds memory here.
    post: (m) => {
      pending++;
      process.send!(m, undefined, {}, () => pending--);
    },
    onMessage: (h) => process.on('message', h),
    backlog: () => pending,
  };
}
