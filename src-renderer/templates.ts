/** The shipped templates, bundled into the renderer at build time from resources/templates. */
import { parseProject } from '../src-shared/project/project-file';
import type { ProjectFile } from '../src-shared/project/project-file';

const raw = import.meta.glob('../resources/templates/*.aestudio', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** One template: its file name and the loaded project. */
export interface Template {
  id: string;
  project: ProjectFile;
}

/** Every template, in the order the seed material introduces them, then the seed article's own, the graph templates and the variational ones. */
export const TEMPLATES: Template[] = ['vanilla', 'multilayer', 'convolutional', 'seedconv', 'sparse', 'denoising', 'unet-denoising', 'vae-dense', 'vae-conv'].flatMap((id) => {
  const text = raw[`../resources/templates/${id}.aestudio`];
  const loaded = text === undefined ? null : parseProject(text, `${id}.aestudio`);
  return loaded?.ok ? [{ id, project: loaded.project }] : [];
});
