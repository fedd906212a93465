/** New project: blank, or one of the five autoencoders of the seed material, each with a picture of its graph. */
import { PROJECT_FORMAT, PROJECT_VERSION } from '../../src-shared/project/project-file';
import type { ProjectFile } from '../../src-shared/project/project-file';
import { DEFAULT_TRAINING_SETTINGS } from '../../src-shared/project/training-settings';
import { newDocument } from '../state/project-actions';
import { useUi } from '../state/ui-store';
import { TEMPLATES } from '../templates';
import { GraphThumbnail } from './GraphThumbnail';

const BLANK: ProjectFile = {
  format: PROJECT_FORMAT,
  version: PROJECT_VERSION,
  name: 'Untitled',
  description: '',
  graph: { nodes: [{ id: 'input', kind: 'input', position: { x: 0, y: 0 }, params: {} }, { id: 'output', kind: 'output', position: { x: 600, y: 0 }, params: {} }], edges: [] },
  training: DEFAULT_TRAINING_SETTINGS,
};

export function TemplateGallery() {
  const open = useUi((s) => s.gallery);
  if (!open) return null;
  return (
    <div className="modal" role="dialog" aria-label="New project">
      <div className="modal__body gallery">
        <h2>New project</h2>
        <div className="gallery__grid">
          {[{ id: 'blank', project: BLANK }, ...TEMPLATES].map((t) => (
            <button key={t.id} className="gallery__item" data-template={t.id} onClick={() => void newDocument(structuredClone(t.project))}>
              <GraphThumbnail graph={t.project.graph} />
              <strong>{t.id === 'blank' ? 'Blank' : t.project.name}</strong>
              <span className="muted gallery__text" title={t.id === 'blank' ? undefined : t.project.description}>{t.id === 'blank' ? 'An input and an output; build the rest.' : t.project.description}</span>
            </button>
          ))}
        </div>
        <button className="modal__close" onClick={() => useUi.getState().showGallery(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
