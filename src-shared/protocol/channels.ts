/**
 * IPC channel names, kept free of any dependency: the sandboxed preload
 * imports this file and can load nothing but electron's own modules.
 */

/** Prefix of every IPC channel, so a handler can refuse anything outside the contract (VS Code's `vscode:` check). */
export const CHANNEL_PREFIX = 'studio:';

/** The IPC channel of a call named "namespace.method". */
export function channelOf(name: string): string {
  return `${CHANNEL_PREFIX}${name}`;
}
