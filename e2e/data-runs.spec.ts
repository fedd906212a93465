/** The Data view (images and vectors, with the output node's data checks) and the Runs view (names, notes, compare, open, export), on real data and real runs. */
import type { Page } from '@playwright/test';
import { expect, node, showView, test } from './fixtures';

/** Picks a parameter of a node in the inspector (in the Design view). */
async function setParam(app: Page, nodeId: string, label: string, value: string) {
  await showView(app, 'design');
  await node(app, nodeId).locator('.layer-node__label').click();
  const field = app.locator('.inspector').getByLabel(label, { exact: true });
  if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
  else {
    await field.fill(value);
    await field.press('Enter');
  }
}

test('the Data view pages through MNIST by class, with its histogram, value range and the project\'s split', async ({ app }) => {
  await showView(app, 'data');
  const data = app.getByTestId('data-view');
  await expect(data.getByTestId('data-facts')).toContainText('10,000 samples of shape 28×28×1 (images)');
  await expect(data.getByTestId('data-stats')).toContainText(/^0 … 1, mean 0\.1\d+, sd 0\.3\d+$/);
  await expect(data.getByTestId('data-split')).toContainText('9,000 training samples · 1,000 validation samples');
  await expect(data.getByTestId('data-page')).toHaveText('1–24 of 10,000');
  await expect(data.getByTestId('data-sample')).toHaveCount(24);
  const classes = data.getByTestId('class-histogram').getByRole('button');
  await expect(classes).toHaveCount(10);

  // Filter by class with the histogram: the page total is that bar's count, and every sample is a 3.
  const three = data.getByTestId('class-histogram').getByTitle(/^3: /);
  const threes = Number(/: (\d+) samples/.exec((await three.getAttribute('title'))!)![1]);
  await three.click();
  await expect(data.getByTestId('data-page')).toHaveText(`1–24 of ${threes.toLocaleString('en')}`);
  await expect(data.locator('[data-testid="data-sample"][data-label="3"]')).toHaveCount(24);
  await data.getByRole('button', { name: 'Next page' }).click();
  await expect(data.getByTestId('data-page')).toHaveText(`25–48 of ${threes.toLocaleString('en')}`);
  await expect(data.locator('[data-testid="data-sample"]:not([data-label="3"])')).toHaveCount(0);
  // Held-out samples are marked, as the trainer's split will hold them out.
  await expect(data.getByTestId('data-samples').getByText('val', { exact: true }).first()).toBeVisible();

  // The split follows the project's setting.
  await showView(app, 'train');
  await app.getByRole('region', { name: 'Training' }).getByLabel('Validation split').fill('0.25');
  await showView(app, 'data');
  await expect(data.getByTestId('data-split')).toContainText('7,500 training samples · 2,500 validation samples');
  await data.screenshot({ path: 'test-results/data-view-mnist.png' });

  await data.getByLabel('Show class').selectOption('');
  await expect(data.getByTestId('data-page')).toHaveText('1–24 of 10,000');
});

test('vector data from a CSV is plotted, never a 1-pixel strip; the output node says when data and graph disagree; training shows vector reconstructions and the dataset\'s labels', async ({ app, studio }) => {
  const { writeFileSync } = await import('node:fs');
  const csv = `${studio.stateDir}/signals.csv`;
  // 90 signals of 784 values in three kinds (frequencies), amplitude 4: outside [0, 1], so the import standardises them.
  const rows = Array.from({ length: 90 }, (_, i) => [...Array.from({ length: 784 }, (_, j) => (4 * Math.sin((j * ((i % 3) + 1)) / 40 + i)).toFixed(3)), i % 3].join(','));
  writeFileSync(csv, `${[...Array.from({ length: 784 }, (_, j) => `v${j}`), 'kind'].join(',')}\n${rows.join('\n')}\n`);
  await showView(app, 'data');
  const picker = app.getByRole('region', { name: 'Dataset' });
  await picker.getByLabel('Dataset').selectOption('custom');
  await picker.getByLabel('Import format').selectOption('csv');
  await picker.getByLabel('Import path').fill(csv);
  await picker.getByLabel('Label column').fill('kind');
  await picker.getByRole('button', { name: 'Load' }).click();
  await expect(app.getByTestId('dataset-summary')).toContainText('90 samples');
  expect((await app.getByTestId('dataset-samples').boundingBox())!.height).toBeGreaterThanOrEqual(48); // plots, not 1-pixel strips
  await picker.getByRole('button', { name: 'Use for this project' }).click();

  const data = app.getByTestId('data-view');
  await expect(data.getByTestId('data-facts')).toContainText('90 samples of shape 784 (vectors)');
  await expect(data.getByTestId('data-facts')).toContainText('standardised');
  await expect(data.getByTestId('class-histogram').getByRole('button')).toHaveCount(3);
  // Each sample is a plot of readable height, not a strip.
  const tile = data.getByTestId('data-sample').first().locator('canvas');
  expect((await tile.boundingBox())!.height).toBeGreaterThanOrEqual(48);
  await data.getByRole('button', { name: 'Heatmap' }).click();
  const heat = data.getByTestId('data-heatmap').locator('canvas');
  expect((await heat.boundingBox())!.height).toBeGreaterThanOrEqual(24 * 12);
  await data.getByRole('button', { name: 'Lines' }).click();
  await data.screenshot({ path: 'test-results/data-view-vectors.png' });

  // The vanilla template ends in a sigmoid: wrong for standardised data, and BCE too.
  await showView(app, 'design');
  await expect(node(app, 'output').getByTestId('node-diagnostic')).toContainText('sigmoid');
  await expect(app.getByText('Use a linear output for standardised data.').first()).toBeVisible();
  await setParam(app, 'output', 'Loss', 'bce');
  await expect(app.getByText('Use MSE for data outside 0…1.').first()).toBeVisible();
  await app.screenshot({ path: 'test-results/data-output-warning.png' });
  await setParam(app, 'output', 'Loss', 'mse');
  await setParam(app, 'output', 'Activation', 'linear');
  await expect(node(app, 'output').getByTestId('node-diagnostic')).toHaveCount(0);

  // Train on it: reconstructions are plots, the latent legend names the dataset's three kinds, not 0–9.
  await showView(app, 'train');
  const panel = app.getByRole('region', { name: 'Training' });
  await panel.getByLabel('Epochs', { exact: true }).fill('2');
  await panel.getByLabel('Validation split').fill('0.3');
  await app.getByTestId('start').click();
  await expect(app.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  await expect(app.getByTestId('reconstructions')).toHaveAttribute('data-plot', 'vector');
  const legend = app.getByTestId('latent').getByTestId('label-legend');
  await expect(legend).toHaveText('012'); // the three kinds present, each a swatch and its label (not 0–9)
  await app.getByTestId('reconstructions').screenshot({ path: 'test-results/reconstructions-vectors.png' });
  // The Data view still reads the dataset once the run has ended.
  await showView(app, 'data');
  await expect(data.getByTestId('data-facts')).toContainText('90 samples');
  await expect(data.getByRole('alert')).toHaveCount(0);
});

test('runs get names and notes, compare architecture and settings, open with their curves and reconstructions, export; a new project starts clean', async ({ app, studio }) => {
  await showView(app, 'train');
  const panel = app.getByRole('region', { name: 'Training' });
  await panel.getByLabel('Epochs', { exact: true }).fill('1');
  await panel.getByLabel('Max samples').fill('400');
  await app.getByTestId('start').click();
  await expect(app.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  // A second run with a smaller code and another learning rate.
  await setParam(app, 'code', 'Latent size', '20');
  await showView(app, 'train');
  await expect(panel.getByLabel('Max samples')).toHaveValue('400'); // kept while the view was away
  await panel.getByLabel('Learning rate').fill('0.003');
  await app.getByTestId('start').click();
  await expect(app.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });

  await showView(app, 'runs');
  const runs = app.getByRole('region', { name: 'Runs' });
  await expect(runs.getByTestId('run-row')).toHaveCount(2);
  const names = runs.getByTestId('run-name');
  await expect(names.first()).toHaveText(/^Vanilla autoencoder · MNIST digits · .+\d\d:\d\d/);

  // Rename the newest run and note something; both are kept in its record (a reload reads them back).
  await names.first().click();
  await runs.getByLabel('Run name').fill('small code');
  await runs.getByLabel('Run name').press('Enter');
  await expect(names.first()).toHaveText('small code');
  await runs.getByRole('button', { name: '+ notes' }).first().click();
  await runs.getByLabel('Run notes').fill('blurrier 8s');
  await runs.getByLabel('Run notes').blur();
  await expect(runs.getByTestId('run-notes')).toHaveText('blurrier 8s');
  const { readFileSync } = await import('node:fs');
  const renamed = (await runs.getByTestId('run-row').first().getAttribute('data-run'))!;
  expect(JSON.parse(readFileSync(`${studio.stateDir}/runs/${renamed}/metrics.json`, 'utf8'))).toMatchObject({ name: 'small code', notes: 'blurrier 8s', status: 'finished' });

  // Compare: curves overlaid, the architecture's differences next to the settings, with readable labels.
  for (const row of await runs.getByTestId('run-row').all()) await row.getByRole('checkbox').check();
  await expect(runs.getByTestId('run-compare-chart')).toHaveAttribute('data-series', '2');
  const arch = runs.getByTestId('compare-architecture');
  await expect(arch.filter({ hasText: 'Code size' })).toContainText('20 (20)');
  await expect(arch.filter({ hasText: 'Code size' })).toContainText('64 (64)');
  await expect(arch.filter({ hasText: 'Parameters' })).toHaveClass(/differs/);
  await expect(runs.getByTestId('compare-node').filter({ hasText: 'Latent size' })).toContainText('20');
  await expect(runs.locator('[data-testid="compare-setting"].differs th')).toHaveText(['Learning rate']);
  await runs.screenshot({ path: 'test-results/runs-compare.png' });

  // Open the first run: its curves and its reconstructions.
  const older = runs.getByTestId('run-row').nth(1);
  await older.getByTestId('open-run').click();
  const detail = runs.getByTestId('run-detail');
  await expect(detail.getByTestId('run-compare-chart')).toHaveAttribute('data-series', '1');
  const recon = detail.getByTestId('run-reconstructions');
  await expect.poll(() => recon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await detail.screenshot({ path: 'test-results/run-opened.png' });

  // Export it from the Runs view.
  await older.getByTestId('export-run').click();
  await older.getByTestId('export-go').click();
  await expect(older.getByTestId('export-result')).toContainText('files in', { timeout: 60_000 });
  await expect(older.getByTestId('analyze-run')).toBeEnabled();

  // A new project: its (no) runs, not the last run's dashboard.
  await app.locator('[data-command="new"]').click();
  await app.getByRole('dialog', { name: 'New project' }).locator('[data-template="sparse"]').click();
  await app.getByRole('alertdialog', { name: 'Discard changes?' }).getByRole('button', { name: 'Discard changes' }).click(); // the latent size edit was never saved
  await showView(app, 'train');
  await expect(app.getByTestId('run-status')).toHaveText('idle');
  await showView(app, 'runs');
  await expect(runs.getByTestId('run-row')).toHaveCount(0);
});
