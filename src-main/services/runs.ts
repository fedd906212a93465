/** The kept runs on disk: one folder per run under the runs folder, each with its metrics.json record. */
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RunSummarySchema } from '../../src-shared/protocol/studio-api';
import type { RunSummary } from '../../src-shared/protocol/studio-api';

/** A run id as this app makes them: refuses anything that could name another folder. */
export function checkRunId(runId: string): string {
  if (!/^[\w-]{1,100}$/.test(runId)) throw new Error(`"${runId}" is not a run id.`);
  return runId;
}

async function summary(runsDir: string, runId: string): Promise<RunSummary | null> {
  try {
    const m = JSON.parse(await readFile(join(runsDir, runId, 'metrics.json'), 'utf8')) as Record<string, unknown> & { dataset?: { name?: string; ref?: { id?: string; path?: string } }; error?: { message?: string } };
    const projectText = await readFile(join(runsDir, runId, 'project.aestudio'), 'utf8').catch(() => null);
    let name = 'Untitled';
    try {
      name = projectText ? String((JSON.parse(projectText) as { name?: string }).name ?? name) : name;
    } catch {
      // An unreadable kept project only costs the run its name.
    }
    const parsed = RunSummarySchema.safeParse({
      runId,
      name,
      status: m.status,
      finishedAt: typeof m.finishedAt === 'string' ? m.finishedAt : null,
      epochs: m.epochs ?? [],
      settings: m.settings ?? {},
      dataset: m.dataset?.name ?? m.dataset?.ref?.id ?? m.dataset?.ref?.path ?? 'unknown',
      error: m.error?.message ?? null,
      hasProject: projectText !== null,
    });
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // a folder without a readable record is not a run (yet): still training, or foreign
  }
}

/** Every kept run with a readable record, newest first. */
export async function listRuns(runsDir: string): Promise<RunSummary[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const runs = (await Promise.all(entries.filter((e) => e.isDirectory() && /^[\w-]+$/.test(e.name)).map((e) => summary(runsDir, e.name)))).filter((r): r is RunSummary => r !== null);
  return runs.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
}

/** Deletes a run folder. */
export async function deleteRun(runsDir: string, runId: string): Promise<void> {
  await rm(join(runsDir, checkRunId(runId)), { recursive: true, force: true });
}

/** The project text kept with a run. */
export async function runProject(runsDir: string, runId: string): Promise<string> {
  const file = join(runsDir, checkRunId(runId), 'project.aestudio');
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new Error('This run did not keep its project, so its graph cannot be reopened.');
  }
}
