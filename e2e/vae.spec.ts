/**
 * The dense VAE template (2-D latent) in browser mode, as a person uses it:
 * open it from the gallery, train it on MNIST digits for a few short epochs,
 * open the run's analyses and generate. The manifold of digits decoded over
 * the prior's quantiles is screenshotted into test-results/ and, for the
 * README, into docs/images/vae-manifold.png. The anomaly panel compares the
 * VAE's two scores on the same labels.
 */
import sharp from 'sharp';
import { expect, showView, test } from './fixtures';

// Tall enough that the 840-pixel manifold shows whole beside its controls.
test.use({ viewport: { width: 1280, height: 1400 } });

test('the dense VAE trains on MNIST, and Generate shows its 2-D manifold of digits and interpolations', async ({ app }) => {
  test.setTimeout(240_000);
  await app.getByRole('button', { name: 'New' }).click();
  await app.getByRole('dialog', { name: 'New project' }).locator('[data-template="vae-dense"]').click();
  await showView(app, 'train');
  const panel = app.getByRole('region', { name: 'Training' });
  // Five epochs of 10,000 digits (a few seconds each) are enough for the manifold to show recognisable digits.
  await panel.getByLabel('Epochs', { exact: true }).fill('5');
  await panel.getByLabel('Max samples', { exact: true }).fill('10000');
  await app.getByTestId('start').click();
  await expect(app.getByTestId('run-status')).toHaveText('finished', { timeout: 180_000 });
  await showView(app, 'runs');
  await app.getByTestId('analyze-run').first().click(); // opens the Analyse view
  const dialog = app.getByRole('region', { name: 'Analysis' });
  await expect(dialog).toBeVisible();

  await dialog.getByRole('tab', { name: 'Generate' }).click();
  await dialog.getByTestId('analyze-generate').click();
  const grid = dialog.getByTestId('generate-grid');
  await expect(grid).toContainText("15×15 codes at the prior's quantiles", { timeout: 60_000 });
  await expect(dialog.getByTestId('generate-prior')).toContainText('N(0, I)');
  await expect(dialog.getByTestId('generate-interpolations')).toContainText('evenly spaced between');
  const canvas = grid.locator('canvas');
  // Drawn at twice the digits' size: 15 × 28 × 2 pixels across.
  expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([840, 840]);
  await app.screenshot({ path: 'test-results/vae-generate.png' });
  const shot = await grid.screenshot({ path: 'test-results/vae-manifold.png' });
  await sharp(shot).toFile('docs/images/vae-manifold.png');
  // Digits, not a flat field: bright strokes on a dark ground all over the grid.
  const stats = await sharp(shot).greyscale().stats();
  expect(stats.channels[0].stdev).toBeGreaterThan(30);

  // Anomalies: the 9s named by hand, scored by reconstruction error and by negative ELBO on the same labels.
  await dialog.getByRole('tab', { name: 'Anomalies' }).click();
  await dialog.getByLabel('Anomalous labels').fill('9');
  await dialog.getByTestId('analyze-anomaly').click();
  await expect(dialog.getByTestId('anomaly-compare')).toContainText(/ROC AUC on the labels marked anomalous\s*0\.\d+\s*0\.\d+/, { timeout: 60_000 });
  await dialog.getByLabel('Anomaly score').selectOption('elbo');
  await expect(dialog.getByText(/scored by negative ELBO/)).toBeVisible();
  await expect(dialog.getByTestId('anomaly-stats')).toContainText('500 flagged');
  await app.screenshot({ path: 'test-results/vae-anomaly.png' });
});
