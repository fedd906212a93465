/** New, open, save and save-as: the document's way to and from disk, with the unsaved-changes check. */
import { parseProject, serializeProject } from '../../src-shared/project/project-file';
import type { ProjectFile } from '../../src-shared/project/project-file';
import { studio } from '../studio/studio';
import { selectDirty, useDocument } from './document-store';
import { useUi } from './ui-store';

/** Asks in the window before throwing away unsaved changes; resolves to true to go ahead. */
export async function confirmDiscard(): Promise<boolean> {
  const doc = useDocument.getState();
  if (!selectDirty(doc)) return true;
  return useUi.getState().askConfirm({ title: 'Discard changes?', message: `"${doc.name}" has unsaved changes. Discard them?`, confirm: 'Discard changes' });
}

async function pickPath(mode: 'open' | 'save', suggested?: string): Promise<string | null> {
  const api = studio();
  const dir = await api.project.defaultDir();
  const defaultPath = suggested ?? `${dir}/${mode === 'save' ? `${useDocument.getState().name.replace(/[^\w-]+/g, '-').toLowerCase() || 'untitled'}.aestudio` : ''}`;
  const native = await api.project.pickPath({ mode, defaultPath });
  if (native.kind === 'picked') return native.path;
  if (native.kind === 'canceled') return null;
  return useUi.getState().askPath({ mode, defaultPath, recent: await api.project.recent() });
}

/** Starts a new document from a template project (or a blank one). */
export async function newDocument(project: ProjectFile): Promise<void> {
  if (!(await confirmDiscard())) return;
  useDocument.getState().load(project, null);
  useUi.getState().showGallery(false);
}

/** Opens a project file: `path` given, or asked for. */
export async function openDocument(path?: string): Promise<void> {
  if (!(await confirmDiscard())) return;
  const target = path ?? (await pickPath('open'));
  if (!target) return;
  const ui = useUi.getState();
  try {
    const loaded = parseProject(await studio().project.read(target), target);
    if (!loaded.ok) {
      ui.notify('error', loaded.error);
      return;
    }
    useDocument.getState().load(loaded.project, target);
    loaded.warnings.forEach((w) => ui.notify('info', w));
    await studio().project.noteRecent(target);
  } catch (e) {
    ui.notify('error', (e as Error).message);
  }
}

/** Saves to the current file, or asks for one; resolves to whether it was saved. */
export async function saveDocument(saveAs = false): Promise<boolean> {
  const doc = useDocument.getState();
  const target = !saveAs && doc.filePath ? doc.filePath : await pickPath('save', doc.filePath ?? undefined);
  if (!target) return false;
  const path = target.endsWith('.aestudio') ? target : `${target}.aestudio`;
  try {
    await studio().project.write(path, serializeProject(doc.toProject()));
    useDocument.getState().markSaved(path);
    await studio().project.noteRecent(path);
    useUi.getState().notify('info', `Saved ${path}`);
    return true;
  } catch (e) {
    useUi.getState().notify('error', (e as Error).message);
    return false;
  }
}
