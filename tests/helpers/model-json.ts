/** Editing a saved TF.js model.json in place, as a hostile sender would, for the weights loader's tests. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a TF.js layers model.json the tests edit. */
export type ModelJson = { modelTopology: object; weightsManifest: { paths: unknown[]; weights: { name: string; shape: number[]; dtype: string; quantization?: object }[] }[] };

/** Rewrites `dir/model.json` after `edit` has changed it. */
export function editManifest(dir: string, edit: (json: ModelJson) => void): void {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  edit(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}
