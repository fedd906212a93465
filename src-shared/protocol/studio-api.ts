/**
 * The renderer ↔ main contract: every call the renderer may make, with a
 * runtime schema for its arguments and result. Electron IPC and the browser
 * mode's WebSocket both bind exactly this table; channel names are derived
 * from it, never written out twice.
 */
import { z } from 'zod';

/** What the app reports about itself. */
export const AppInfoSchema = z.object({
  /** The app's version (package.json). */
  version: z.string(),
  /** "electron" in the desktop app, "browser" in browser mode. */
  shell: z.enum(['electron', 'browser']),
  /** Operating system platform of the machine running the services. */
  platform: z.string(),
});
/** What the app reports about itself. */
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Every call: its argument tuple and result schema. Keys are "namespace.method". */
export const STUDIO_CALLS = {
  /** Version, shell and platform, for the About box and bug reports. */
  'app.getInfo': { args: z.tuple([]), result: AppInfoSchema },
} as const;

/** Name of a call in {@link STUDIO_CALLS}. */
export type StudioCallName = keyof typeof STUDIO_CALLS;
/** Argument tuple of a call. */
export type StudioCallArgs<K extends StudioCallName> = z.infer<(typeof STUDIO_CALLS)[K]['args']>;
/** Result of a call. */
export type StudioCallResult<K extends StudioCallName> = z.infer<(typeof STUDIO_CALLS)[K]['result']>;

/** Main-side implementations of every call. */
export type StudioHandlers = { [K in StudioCallName]: (...args: StudioCallArgs<K>) => Promise<StudioCallResult<K>> };

/** The API the renderer sees as `window.studio`, namespaced as the call names are. */
export interface StudioApi {
  /** Facts about the running app. */
  app: {
    /** Version, shell and platform. */
    getInfo(): Promise<AppInfo>;
  };
}
