/**
 * backend-choices.json in the app's cache folder: the one owner of that file.
 * Each entry remembers which backend trained one model shape fastest on this
 * machine and what was measured, so the next run of the same model starts at
 * once. The file is only a cache: one that is missing, unreadable, oversized
 * or not ours is ignored (and replaced on the next write), never an error
 * that stops a run.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { BACKENDS, BackendTrialSchema } from '../../../src-shared/protocol/trainer-messages';
import type { BackendName, BackendTrial } from '../../../src-shared/protocol/trainer-messages';
import { writeFileAtomic } from '../../common/atomic-write';
import { readRegularFile } from '../../common/read-regular-file';

/** The file's name inside the cache folder. */
export const CHOICE_CACHE_FILE = 'backend-choices.json';
/** Entries kept; the oldest go first (one entry is about 300 bytes). */
export const CHOICE_CACHE_ENTRIES = 200;
const MAX_BYTES = 1024 * 1024;
/** Raised when what is measured changes (which configurations, how timed), so older choices are measured again. */
const MEASUREMENT_METHOD = 3; // 3: a dense chain on wasm is timed as its one-call step

const EntrySchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/),
  backend: z.enum(BACKENDS),
  trials: z.array(BackendTrialSchema).max(8),
  reason: z.string().max(2_000),
  at: z.string().max(40),
});
/** One remembered choice. */
export type ChoiceEntry = z.infer<typeof EntrySchema>;

const FileSchema = z.object({ version: z.literal(1), entries: z.array(EntrySchema).max(CHOICE_CACHE_ENTRIES) });

/**
 * What a choice depends on: the model (layers, shapes, loss), the batch size
 * and a forced thread count, the backends that loaded, the library versions
 * and this machine's processor, cores and memory. Any change measures again.
 */
export function choiceKey(spec: ModelSpec, batchSize: number, threads: number | undefined, loaded: readonly BackendName[], versions: Record<string, string>): string {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), platform: process.platform, arch: process.arch };
  const model = { inputShape: spec.inputShape, loss: spec.loss, layers: spec.layers };
  return createHash('sha256').update(JSON.stringify({ method: MEASUREMENT_METHOD, model, batchSize, threads: threads ?? null, loaded, versions, machine })).digest('hex');
}

async function readEntries(cacheDir: string): Promise<ChoiceEntry[]> {
  try {
    const bytes = await readRegularFile(join(cacheDir, CHOICE_CACHE_FILE), { maxBytes: MAX_BYTES, what: 'the backend choice cache' });
    const parsed = FileSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data.entries : [];
  } catch {
    return []; // missing, unreadable or not JSON: measure again
  }
}

/** The remembered choice for `key`, or null. */
export async function readChoice(cacheDir: string, key: string): Promise<ChoiceEntry | null> {
  return (await readEntries(cacheDir)).find((e) => e.key === key) ?? null;
}

/** Remembers a choice (replacing an older one for the same key); a cache that cannot be written is skipped silently. */
export async function writeChoice(cacheDir: string, key: string, backend: BackendName, trials: BackendTrial[], reason: string): Promise<void> {
  const entries = (await readEntries(cacheDir)).filter((e) => e.key !== key);
  entries.push({ key, backend, trials, reason, at: new Date().toISOString() });
  const kept = entries.slice(-CHOICE_CACHE_ENTRIES);
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeFileAtomic(join(cacheDir, CHOICE_CACHE_FILE), `${JSON.stringify({ version: 1, entries: kept }, null, 1)}\n`);
  } catch {
    // A read-only cache folder costs the next run a measurement, nothing more.
  }
}
