/**
 * The six analysis panels on short real runs of the vanilla and the
 * convolutional template, as a person uses them: train, open the run's
 * analyses, run each panel, change its controls. Screenshots of every panel
 * go to test-results/.
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { existsSync } from 'node:fs';
import { expect, showView, test } from './fixtures';

const RUNS = [
  { template: 'vanilla', epochs: '3', samples: '3000', labels: '0-8' },
  { template: 'convolutional', epochs: '1', samples: '800', labels: '' },
];

for (const run of RUNS) {
  test(`every analysis panel works on a short ${run.template} run`, async ({ app }) => {
    test.setTimeout(180_000);
    await app.getByRole('button', { name: 'New' }).click();
    await app.getByRole('dialog', { name: 'New project' }).locator(`[data-template="${run.template}"]`).click();
    await showView(app, 'train');
    const panel = app.getByRole('region', { name: 'Training' });
    await panel.getByLabel('Epochs', { exact: true }).fill(run.epochs);
    await panel.getByLabel('Max samples').fill(run.samples);
    if (run.labels) {
      await panel.getByLabel('Only labels').fill(run.labels);
      await panel.getByLabel('Only labels').press('Enter');
    }
    await app.getByTestId('start').click();
    // The convolutional template has enough arithmetic per step to split each batch across two threads (tfjs-node threads by itself).
    if (run.template === 'convolutional' && availableParallelism() >= 2) await expect(app.getByTestId('backend')).toHaveText(/^(wasm ×2|cpu ×2|node)$/);
    await expect(app.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
    await showView(app, 'runs');
    await app.getByTestId('analyze-run').first().click(); // opens the Analyse view
    const dialog = app.getByRole('region', { name: 'Analysis' });
    await expect(dialog).toBeVisible();
    const shot = (name: string) => app.screenshot({ path: `test-results/analysis-${run.template}-${name}.png` });

    // Denoising: PSNR of noised and denoised, and a dropped file of one's own.
    await dialog.getByTestId('analyze-denoise').click();
    await expect(dialog.getByTestId('denoise-psnr')).toContainText(/noised [\d.]+ dB → denoised [\d.]+ dB/);
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } }).composite([{ input: Buffer.from('<svg width="40" height="40"><circle cx="20" cy="20" r="12" stroke="white" stroke-width="4" fill="none"/></svg>') }]).png().toBuffer();
    await dialog.getByLabel('Images to denoise').setInputFiles([{ name: 'ring.png', mimeType: 'image/png', buffer: png }]);
    await expect(dialog.getByTestId('denoise-files')).toContainText('ring.png');
    await shot('denoise');

    // PCA with as many components as the code.
    await dialog.getByRole('tab', { name: 'vs PCA' }).click();
    await dialog.getByTestId('analyze-pca').click();
    await expect(dialog.getByTestId('pca-table')).toContainText('5-NN accuracy on codes', { timeout: 60_000 });
    await expect(dialog.getByTestId('pca-scatter-ae')).toBeVisible();
    await expect(dialog.getByTestId('pca-scatter-pca')).toBeVisible();
    await shot('pca');

    // Anomalies: the 9s the vanilla run never saw (or 9s named by hand for the other), threshold by percentile.
    await dialog.getByRole('tab', { name: 'Anomalies' }).click();
    if (!run.labels) await dialog.getByLabel('Anomalous labels').fill('9');
    await dialog.getByTestId('analyze-anomaly').click();
    await expect(dialog.getByTestId('anomaly-stats')).toContainText(/precision [\d.]+ % · recall [\d.]+ %/, { timeout: 60_000 });
    await expect(dialog.getByTestId('anomaly-stats')).toContainText('500 flagged'); // 95th percentile of 10,000
    await dialog.getByLabel('Threshold percentile').fill('99');
    await expect(dialog.getByTestId('anomaly-stats')).toContainText('100 flagged');
    await expect(dialog.getByTestId('anomaly-top')).toBeVisible();
    const scores = (await dialog.getByTestId('anomaly-files').locator('li .muted').textContent())!; // the server's path beside the download link
    expect(existsSync(scores)).toBe(true);
    await shot('anomaly');

    // Features: codes written, k-NN on codes against pixels.
    await dialog.getByRole('tab', { name: 'Features' }).click();
    await dialog.getByTestId('analyze-features').click();
    await expect(dialog.getByTestId('features-knn')).toContainText('5-NN accuracy', { timeout: 60_000 });
    const files = await dialog.getByTestId('features-files').locator('li .muted').allTextContents();
    expect(files.some((f) => f.endsWith('.npy')) && files.some((f) => f.endsWith('.csv'))).toBe(true);
    for (const f of files) expect(existsSync(f), f).toBe(true);
    await shot('features');

    // Compression against JPEG at the same byte budget.
    await dialog.getByRole('tab', { name: 'Compression' }).click();
    await dialog.getByTestId('analyze-compression').click();
    await expect(dialog.getByTestId('compression-table')).toContainText('JPEG, budget', { timeout: 60_000 });
    await expect(dialog.getByTestId('compression-images')).toBeVisible();
    await shot('compression');

    // Latent explorer: a path between two samples, then a slider decoding live.
    await dialog.getByRole('tab', { name: 'Latent explorer' }).click();
    await dialog.getByTestId('analyze-latent').click();
    await expect(dialog.getByTestId('latent-path')).toContainText('from #0 to #1', { timeout: 60_000 });
    const samples = dialog.getByTestId('latent-samples').locator('canvas');
    const box = (await samples.boundingBox())!;
    await samples.click({ position: { x: box.width * (5.5 / 16), y: box.height / 2 } });
    await expect(dialog.getByTestId('latent-path')).toContainText('from #0 to #5');
    await expect(dialog.getByTestId('latent-decoded')).toBeVisible();
    const before = await dialog.getByTestId('latent-decoded').locator('canvas').screenshot();
    await dialog.getByLabel('Latent axis 1').fill(String(await dialog.getByLabel('Latent axis 1').getAttribute('max')));
    await expect.poll(async () => Buffer.compare(await dialog.getByTestId('latent-decoded').locator('canvas').screenshot(), before)).not.toBe(0);
    await shot('latent');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });
}
