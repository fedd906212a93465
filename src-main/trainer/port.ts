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

/** How often the trainer checks that its parent is still there (a utilityProcess gets no disconnect event). */
const PARENT_CHECK_MS = 250;

/**
 * Ends this process when the process that started it goes away, so a killed
 * CLI or app never leaves a trainer running at full CPU for the rest of its
 * epochs. A Node child hears it as the IPC channel's disconnect; an Electron
 * utilityProcess has no such event, so the parent's pid is also watched (a
 * parent that dies hands its children to another, so ppid changes). The
 * timer is unref'd: it never keeps an idle process alive by itself.
 * The run's record stays "running" with this pid, which readers take for
 * "interrupted" once the pid is gone. Silent: a host that closes the
 * channel on purpose (dispose) ends the trainer the same way.
 */
export function exitWithParent(exit: (reason: string) => void = () => process.exit(0)): () => void {
  const parent = process.ppid;
  const onDisconnect = () => exit('its parent process closed the channel');
  if (process.send) process.once('disconnect', onDisconnect);
  const timer = setInterval(() => {
    if (process.ppid !== parent) exit(`its parent process (${parent}) ended`);
  }, PARENT_CHECK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    process.off('disconnect', onDisconnect);
  };
}
