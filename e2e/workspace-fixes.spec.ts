/**
 * Issue 17's bugs, in the browser as a person meets them: an import that
 * can be adopted only once it loaded, recovery offered after a crash and
 * not after a plain reload, "Discard changes?" asked in the app and answered
 * by keyboard, no ETA after Stop, catalog help without backticks, "1 epoch",
 * and analysis outputs that download through the browser-mode server.
 * Every wait is on the app's own state (a file, an attribute, a status).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, node, selectNode, setField, showView, startStudio, test } from './fixtures';

const recoveryFile = (stateDir: string) => join(stateDir, 'recovery.aestudio.json');

/** Kills a server process as a crash would, and waits until it is gone. */
async function killed(child: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/** Opens a page on the server, as a person does; waits until it has looked for recovery. */
async function open(next: Page, url: string): Promise<Page> {
  await next.goto(url);
  await expect(next.locator('html')).toHaveAttribute('data-recovery', /^(none|offered)$/);
  return next;
}

test('"Use for this project" waits for an import that loaded, and for exactly that one', async ({ app, studio }) => {
  const csv = join(studio.stateDir, 'rows.csv');
  writeFileSync(csv, `a,b,c,d\n${Array.from({ length: 30 }, (_, i) => `${i % 5},${i % 3},${i % 7},${i % 2}`).join('\n')}\n`);
  await showView(app, 'data');
  const panel = app.getByRole('region', { name: 'Dataset' });
  const use = panel.getByRole('button', { name: 'Use for this project' });
  await expect(panel.getByTestId('dataset-summary')).toContainText('MNIST');
  await panel.getByLabel('Dataset').selectOption('custom');
  await expect(use).toBeDisabled(); // nothing loaded: the MNIST preview on screen before is not an import
  await expect(panel.getByTestId('dataset-summary')).toHaveCount(0);
  await panel.getByLabel('Import path').fill(csv);
  await expect(use).toBeDisabled(); // named, not loaded
  await panel.getByRole('button', { name: 'Load' }).click();
  await expect(panel.getByTestId('dataset-summary')).toContainText('30 samples');
  await expect(use).toBeEnabled();
  await panel.getByLabel('Import path').fill(`${csv}.old`);
  await expect(use).toBeDisabled(); // the form names another file than the one that loaded
  await panel.getByLabel('Import path').fill(csv);
  await use.click();
  await showView(app, 'design');
  await expect(node(app, 'input').getByTestId('node-shape')).toHaveText('4'); // the Input node took the data's shape
});

test('a plain reload offers no crash recovery; a crash does, and Recover and Discard both work', async ({ app, studio }) => {
  app.on('dialog', (d) => void d.accept()); // the unsaved-changes warning of a reload: leave anyway
  await app.goto(`${studio.url}&autosaveMs=300`);
  await selectNode(app, 'code');
  await setField(app, 'Latent size', '40');
  await expect.poll(() => existsSync(recoveryFile(studio.stateDir))).toBe(true); // autosave kept the work
  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-recovery', 'none');
  await expect(app.getByRole('dialog', { name: 'Recover unsaved work' })).toHaveCount(0);
  expect(existsSync(recoveryFile(studio.stateDir))).toBe(false); // leaving on purpose cleared it

  // The app dies with unsaved work (its process killed: nothing closes cleanly); started again, it offers the work back.
  const stateDir = mkdtempSync(join(tmpdir(), 'aes-e2e-crash-'));
  const first = await startStudio(stateDir);
  const before = await app.context().newPage();
  await open(before, `${first.url}&autosaveMs=300`);
  await selectNode(before, 'code');
  await setField(before, 'Latent size', '40');
  await expect.poll(() => existsSync(recoveryFile(stateDir))).toBe(true);
  await killed(first.child);
  const second = await startStudio(stateDir);
  try {
    const after = await open(await app.context().newPage(), `${second.url}&autosaveMs=300`);
    const offer = after.getByRole('dialog', { name: 'Recover unsaved work' });
    await expect(offer).toContainText('Vanilla autoencoder');
    await offer.getByRole('button', { name: 'Recover' }).click();
    await expect(node(after, 'code').getByTestId('node-shape')).toContainText('40');
    await expect(after.getByTestId('doc-title')).toContainText('•'); // recovered work is still unsaved
    await expect.poll(() => existsSync(recoveryFile(stateDir))).toBe(true); // and kept again by autosave

    // Another window, offered the same work, discards it: gone for good.
    const other = await open(await app.context().newPage(), second.url);
    await other.getByRole('dialog', { name: 'Recover unsaved work' }).getByRole('button', { name: 'Discard' }).click();
    await expect(node(other, 'code').getByTestId('node-shape')).toContainText('64');
    await expect.poll(() => existsSync(recoveryFile(stateDir))).toBe(false);
  } finally {
    second.child.kill();
  }
});

test('"Discard changes?" is the app\'s own dialog, answered by keyboard; catalog help shows code, not backticks', async ({ app }) => {
  const native: string[] = [];
  app.on('dialog', (d) => {
    native.push(d.message());
    void d.dismiss();
  });
  await selectNode(app, 'code');
  await expect(app.locator('.inspector [data-param="form"] .field__help code')).toHaveText(['size', 'size']);
  await expect(app.locator('.inspector')).not.toContainText('`');
  await setField(app, 'Latent size', '40');

  const gallery = app.getByRole('dialog', { name: 'New project' });
  const ask = app.getByRole('alertdialog', { name: 'Discard changes?' });
  await app.getByRole('button', { name: 'New' }).click();
  await gallery.locator('[data-template="multilayer"]').click();
  await expect(ask).toContainText('has unsaved changes');
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused(); // the safe answer first
  await app.keyboard.press('Delete'); // reaches the dialog, not the editor's delete shortcut
  await app.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(node(app, 'code').getByTestId('node-shape')).toContainText('40'); // kept

  await gallery.locator('[data-template="multilayer"]').click();
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(ask.getByRole('button', { name: 'Discard changes' })).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused(); // focus stays inside
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  await expect(app.getByTestId('doc-title')).toContainText('Multilayer');
  expect(native).toEqual([]);
});

test('the ETA goes once a run is stopped; deleting the run is asked in the app', async ({ app }) => {
  await showView(app, 'train');
  const panel = app.getByRole('region', { name: 'Training' });
  await panel.getByLabel('Epochs', { exact: true }).fill('1000');
  await panel.getByLabel('Max samples').fill('3000');
  await app.getByTestId('start').click();
  await expect(app.getByTestId('progress-text')).toContainText(/samples\/s · ETA /);
  await app.getByTestId('stop').click();
  await expect(app.getByTestId('run-status')).toHaveText('stopped');
  await expect(app.getByTestId('progress-text')).toContainText('samples/s');
  await expect(app.getByTestId('progress-text')).not.toContainText('ETA');

  // Deleting the run is asked in the app too; Cancel keeps it.
  await showView(app, 'runs');
  const runs = app.getByRole('region', { name: 'Runs' });
  await expect(runs.getByTestId('run-row')).toHaveCount(1);
  const ask = app.getByRole('alertdialog', { name: 'Delete this run?' });
  await runs.getByRole('button', { name: 'Delete' }).click();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(runs.getByTestId('run-row')).toHaveCount(1);
  await runs.getByRole('button', { name: 'Delete' }).click();
  await ask.getByRole('button', { name: 'Delete run' }).click();
  await expect(runs.getByTestId('run-row')).toHaveCount(0);
});

test('a one-epoch run reads "1 epoch", and its export and anomaly scores download through the browser-mode server', async ({ app }) => {
  test.setTimeout(180_000);
  await showView(app, 'train');
  const panel = app.getByRole('region', { name: 'Training' });
  await panel.getByLabel('Epochs', { exact: true }).fill('1');
  await panel.getByLabel('Max samples').fill('500');
  await app.getByTestId('start').click();
  await expect(app.getByTestId('run-status')).toHaveText('finished');

  // The run's export downloads too (its own export folder, through the same route).
  await app.getByTestId('export').click();
  await app.getByTestId('export-go').click();
  const exported = app.getByTestId('export-files');
  const metrics = exported.getByRole('link', { name: 'Download metrics.csv' });
  const metricsOnServer = (await exported.locator('li').filter({ has: app.getByRole('link', { name: 'Download metrics.csv' }) }).locator('.muted').textContent())!;
  const [metricsDownload] = await Promise.all([app.waitForEvent('download'), metrics.click()]);
  expect(readFileSync((await metricsDownload.path())!, 'utf8')).toBe(readFileSync(metricsOnServer, 'utf8'));

  await showView(app, 'runs');
  const runs = app.getByRole('region', { name: 'Runs' });
  await expect(runs.getByTestId('run-row')).toContainText(' · 1 epoch · ');
  await runs.getByTestId('analyze-run').first().click();
  const dialog = app.getByRole('region', { name: 'Analysis' });
  await expect(dialog).toContainText('1 epoch');
  await dialog.getByRole('tab', { name: 'Anomalies' }).click();
  await dialog.getByLabel('Anomalous labels').fill('9');
  await dialog.getByTestId('analyze-anomaly').click();
  const files = dialog.getByTestId('anomaly-files');
  const link = files.getByRole('link', { name: /^Download .+\.csv$/ });
  await expect(link).toBeVisible();
  const onServer = (await files.locator('li .muted').textContent())!;
  const [download] = await Promise.all([app.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  expect(readFileSync((await download.path())!, 'utf8')).toBe(readFileSync(onServer, 'utf8'));
  await app.screenshot({ path: 'test-results/analysis-download.png' });
});
