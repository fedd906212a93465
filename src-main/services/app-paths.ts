/** Where the app keeps caches and data outside Electron (CLI, browser mode); Electron passes its own userData paths. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Folder of the binary dataset cache: $AESTUDIO_CACHE_DIR, else the XDG cache folder. */
export function defaultCacheDir(): string {
  if (process.env.AESTUDIO_CACHE_DIR) return process.env.AESTUDIO_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'autoencoder-studio', 'datasets');
}

/** Folder of small app state (recent files, runs) outside Electron: $AESTUDIO_STATE_DIR, else the XDG data folder. */
export function defaultStateDir(): string {
  if (process.env.AESTUDIO_STATE_DIR) return process.env.AESTUDIO_STATE_DIR;
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'autoencoder-studio');
}
