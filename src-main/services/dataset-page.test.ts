/** A Data view page asked of the real trainer process: the query crosses both boundaries and the answer is checked where it arrives. */
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetPreviewSchema, PreviewQuerySchema } from '../../src-shared/datasets/dataset-preview';
import { STUDIO_CALLS } from '../../src-shared/protocol/studio-api';
import { TEST_CACHE_DIR } from '../../tests/helpers/specs';
import { forkLauncher } from '../trainer/host/trainer-child';
import { TrainingService } from './training-service';

let service: TrainingService | null = null;
afterEach(() => service?.dispose());

describe('a page of a dataset from the trainer', () => {
  it('answers a page of one MNIST class with labels, split and class counts', async () => {
    service = new TrainingService(forkLauncher());
    // As the IPC table parses the renderer's arguments: defaults filled in.
    const [ref, query] = STUDIO_CALLS['datasets.preview'].args.parse([{ kind: 'builtin', id: 'mnist' }, { label: 7, offset: 0, limit: 30 }]);
    expect(query).toEqual(PreviewQuerySchema.parse({ label: 7, limit: 30 }));
    const preview = await service.preview(ref, TEST_CACHE_DIR, query);
    expect(DatasetPreviewSchema.safeParse(preview).success).toBe(true);
    expect(preview.page!.labels).toEqual(Array(30).fill(7));
    expect(preview.samples.length).toBe(30 * 784);
    expect(preview.page!.classes!.find((c) => c.label === 7)!.count).toBe(preview.page!.matching);
    expect(preview.page!.split.train + preview.page!.split.validation).toBe(10_000);
    // Without a query it is the picker's preview, as before: eight samples spread over the dataset.
    const picker = await service.preview(ref, TEST_CACHE_DIR);
    expect(picker.page).toBeUndefined();
    expect(picker.samples.length).toBe(8 * 784);
  });
});
