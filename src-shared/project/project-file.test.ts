import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR, TEMPLATE_FILES, loadTemplate } from '../../tests/helpers/templates';
import { parseProject, serializeProject } from './project-file';

const vanillaText = readFileSync(join(TEMPLATES_DIR, 'vanilla.aestudio'), 'utf8');
const vanilla = () => JSON.parse(vanillaText) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (obj: unknown) => parseProject(JSON.stringify(obj), 'p.aestudio');

describe('project file loading', () => {
  it('ships the five templates the seed material describes, the seed article\'s own convolutional autoencoder, the U-Net denoiser and the dense and convolutional VAEs', () => {
    expect(TEMPLATE_FILES).toEqual(['convolutional.aestudio', 'denoising.aestudio', 'multilayer.aestudio', 'seedconv.aestudio', 'sparse.aestudio', 'unet-denoising.aestudio', 'vae-conv.aestudio', 'vae-dense.aestudio', 'vanilla.aestudio']);
  });

  it.each(TEMPLATE_FILES)('%s loads without warnings and survives a save/load round trip unchanged', (file) => {
    const project = loadTemplate(file);
    const again = parseProject(serializeProject(project));
    expect(again).toEqual({ ok: true, project, warnings: [] });
  });

  it('fills in training settings a file leaves out with the defaults', () => {
    const p = vanilla();
    delete p.training;
    const r = load(p);
    expect(r.ok && r.project.training.optimizer).toBe('adam');
  });

  it('refuses an empty file, and truncated JSON, saying what may have happened', () => {
    expect(parseProject('', 'a.aestudio')).toMatchObject({ ok: false, error: expect.stringMatching(/^a\.aestudio is empty\. It may have been truncated/) });
    expect(parseProject(vanillaText.slice(0, 300), 'a.aestudio')).toMatchObject({ ok: false, error: expect.stringMatching(/^a\.aestudio is not valid JSON/) });
  });

  it('refuses a file of another format, naming the field', () => {
    expect(load({ ...vanilla(), format: 'keras' })).toMatchObject({ ok: false, field: 'format', error: expect.stringMatching(/"keras", expected "autoencoder-studio-project"/) });
    expect(load([1, 2])).toMatchObject({ ok: false, error: 'p.aestudio does not hold a project object.' });
  });

  it('refuses a newer version with advice to update, rather than misreading it', () => {
    expect(load({ ...vanilla(), version: 7 })).toMatchObject({ ok: false, field: 'version', error: expect.stringMatching(/newer Autoencoder Studio \(file version 7; this one reads up to 1\)\. Update the app/) });
  });

  it('names the exact field of a structural problem', () => {
    const p = vanilla();
    p.graph.nodes[2].position.x = 'left';
    expect(load(p)).toMatchObject({ ok: false, field: 'graph.nodes[2].position.x' });
    const q = vanilla();
    q.graph.edges[0].target = 5;
    expect(load(q)).toMatchObject({ ok: false, field: 'graph.edges[0].target' });
    const r = vanilla();
    r.training.learningRate = -1;
    expect(load(r)).toMatchObject({ ok: false, field: 'training.learningRate' });
  });

  it('refuses an unknown node kind, listing the known ones', () => {
    const p = vanilla();
    p.graph.nodes[1].kind = 'transformer';
    expect(load(p)).toMatchObject({ ok: false, field: 'graph.nodes[1].kind', error: expect.stringMatching(/"transformer", which this version does not know \(known kinds: input, noise, encoder/) });
  });

  it('refuses a parameter of the wrong type, naming node field and expected type', () => {
    const p = vanilla();
    p.graph.nodes[1].params.size = 'sixty-four';
    expect(load(p)).toMatchObject({ ok: false, field: 'graph.nodes[1].params.size', error: expect.stringMatching(/"sixty-four": expected a number/) });
  });

  it('drops parameters a kind does not have, with a warning (files from newer versions stay usable)', () => {
    const p = vanilla();
    p.graph.nodes[1].params.dropout = 0.2;
    const r = load(p);
    expect(r).toMatchObject({ ok: true, warnings: ['Node "code": ignored the parameter "dropout", which Bottleneck nodes do not have.'] });
    expect(r.ok && r.project.graph.nodes[1].params).not.toHaveProperty('dropout');
  });

  it('keeps out-of-range values for the compiler to report on the node (the file still opens to be fixed)', () => {
    const p = vanilla();
    p.graph.nodes[1].params.size = 0;
    expect(load(p).ok).toBe(true);
  });
});
