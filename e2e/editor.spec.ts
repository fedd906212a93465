/** The editor in a real Chromium against browser mode: what a person does on the canvas and what they see. */
import { dropFromPalette, expect, midpointBetween, node, selectNode, setField, showView, test } from './fixtures';

test('starting from the vanilla template, a noise node dropped on the edge after the input is inserted there and shapes update', async ({ app }) => {
  await expect(app.getByTestId('total-params')).toHaveText('101,200 parameters');
  await expect(node(app, 'code').getByTestId('node-shape')).toContainText('64');
  await dropFromPalette(app, 'noise', await midpointBetween(app, 'input', 'code'));
  const noise = node(app, 'noise1');
  await expect(noise).toBeVisible();
  await expect(noise.getByTestId('node-shape')).toHaveText('28×28×1');
  // The edge was split: input → noise → code, and every edge carries a shape.
  await expect(app.locator('.react-flow__edge')).toHaveCount(4);
  await expect.poll(async () => (await app.getByTestId('edge-shape').allTextContents()).sort()).toEqual(['28×28×1', '28×28×1', '64', '784']);
  await expect(app.getByTestId('compile-status')).toHaveText('compiles');
  await expect(app.getByTestId('total-params')).toHaveText('101,200 parameters'); // noise has no weights
  await app.screenshot({ path: 'test-results/canvas-denoising.png' });
});

test('a shape mismatch shows a diagnostic on the output node, and undo removes it', async ({ app }) => {
  await selectNode(app, 'dec');
  await setField(app, 'Units', '500');
  await expect(node(app, 'dec').getByTestId('node-shape')).toContainText('500');
  const out = node(app, 'output');
  await expect(out.locator('.layer-node')).toHaveClass(/has-error/);
  await expect(out.getByTestId('node-diagnostic')).toHaveText('The reconstruction is 500 (500 values) but the input is 28×28×1 (784 values)');
  await expect(app.getByTestId('compile-status')).toHaveText('1 error');
  // The problems panel lists it; clicking it selects the node its hint says to change (the decoder's units).
  await app.getByTestId('diagnostic').first().click();
  await expect(node(app, 'dec')).toHaveClass(/selected/);
  await app.keyboard.press('Control+z');
  await expect(out.getByTestId('node-diagnostic')).toHaveCount(0);
  await expect(app.getByTestId('compile-status')).toHaveText('compiles');
  await expect(node(app, 'dec').getByTestId('node-shape')).toContainText('784');
});

test('the inspector refuses an out-of-range value at the field, with the reason', async ({ app }) => {
  await selectNode(app, 'code');
  const field = app.locator('.inspector').getByLabel('Latent size', { exact: true });
  await field.fill('0');
  await expect(app.locator('.inspector [role="alert"]')).toHaveText('Latent size 0 is out of range (1 to 65536)');
  await field.press('Enter');
  await expect(node(app, 'code').getByTestId('node-shape')).toContainText('64'); // nothing committed
});

test('copy and paste keep the edges among the pasted nodes, and one undo removes the whole paste', async ({ app }) => {
  await selectNode(app, 'code');
  await node(app, 'dec').locator('.layer-node__label').click({ modifiers: ['Shift'] });
  await app.keyboard.press('Control+c');
  await app.locator('.react-flow__pane').click({ position: { x: 20, y: 20 }, modifiers: [] }).catch(() => undefined);
  await app.keyboard.press('Control+v');
  await expect(app.locator('.react-flow__node')).toHaveCount(6);
  await expect(app.locator('.react-flow__edge')).toHaveCount(4); // the 3 originals plus the one between the pasted pair
  await app.keyboard.press('Control+z');
  await expect(app.locator('.react-flow__node')).toHaveCount(4);
  await expect(app.locator('.react-flow__edge')).toHaveCount(3);
  await app.keyboard.press('Control+Shift+z');
  await expect(app.locator('.react-flow__node')).toHaveCount(6);
});

test('delete removes the selected node with its connections; the chain then reports where it breaks', async ({ app }) => {
  await selectNode(app, 'dec');
  await app.keyboard.press('Delete');
  await expect(node(app, 'dec')).toHaveCount(0);
  await expect(app.locator('.react-flow__edge')).toHaveCount(1);
  await expect(node(app, 'code').getByTestId('node-diagnostic')).toContainText('The path from the input stops at Bottleneck "Code 64"');
});

test('a node dragged out of order is put back by auto-layout, in one undoable step', async ({ app }) => {
  const flowX = async (id: string) => Number(/translate\(([-\d.]+)px/.exec((await node(app, id).getAttribute('style')) ?? '')?.[1]);
  // Drag the output node with the mouse to the far left, before the input.
  const out = (await node(app, 'output').locator('.layer-node__label').boundingBox())!;
  const inp = (await node(app, 'input').boundingBox())!;
  await app.mouse.move(out.x + 5, out.y + 5);
  await app.mouse.down();
  await app.mouse.move(inp.x - 150, out.y + 120, { steps: 12 });
  await app.mouse.up();
  const dragged = await flowX('output');
  expect(dragged).toBeLessThan(await flowX('input'));
  await app.getByRole('button', { name: 'Layout' }).click();
  await expect.poll(async () => Promise.all(['input', 'code', 'dec', 'output'].map(flowX))).toEqual(
    [...(await Promise.all(['input', 'code', 'dec', 'output'].map(flowX)))].sort((a, b) => a - b),
  );
  expect(await flowX('output')).toBeGreaterThan(await flowX('dec'));
  await app.keyboard.press('Control+z'); // undoes the layout: back to the dragged position
  await expect.poll(() => flowX('output')).toBe(dragged);
  await app.keyboard.press('Control+z'); // undoes the drag
  await expect.poll(() => flowX('output')).toBeGreaterThan(await flowX('dec'));
});

test('save, reload the page, open the file: the same graph', async ({ app, studio }) => {
  await selectNode(app, 'code');
  await setField(app, 'Latent size', '48');
  await expect(app.getByTestId('doc-title')).toContainText('•');
  await app.keyboard.press('Control+s');
  const dialog = app.getByRole('dialog', { name: 'Save project' });
  const path = `${studio.stateDir}/projects/my-vanilla.aestudio`;
  await dialog.getByLabel('File path').fill(path);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('doc-title')).toContainText('my-vanilla.aestudio');
  await expect(app.getByTestId('doc-title')).not.toContainText('•');

  await app.reload();
  await expect(node(app, 'code').getByTestId('node-shape')).toContainText('64'); // a fresh window: the template again
  await app.keyboard.press('Control+o');
  const open = app.getByRole('dialog', { name: 'Open project' });
  await open.getByRole('button', { name: path }).click(); // from the recent files
  await expect(node(app, 'code').getByTestId('node-shape')).toContainText('48');
  await expect(app.getByTestId('total-params')).toHaveText(`${(784 * 48 + 48 + 48 * 784 + 784).toLocaleString('en-US')} parameters`);
  await expect(app.getByTestId('doc-title')).toContainText('my-vanilla.aestudio');
  // And it is in the toolbar's recent projects.
  await app.getByLabel('Recent projects').focus();
  await expect(app.getByLabel('Recent projects').locator('option')).toHaveText(['Recent…', `my-vanilla.aestudio — ${path}`]);
});

test('a malformed project file is refused with a message naming the problem; the open document stays', async ({ app, studio }) => {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(`${studio.stateDir}/projects`, { recursive: true });
  const bad = `${studio.stateDir}/projects/broken.aestudio`;
  writeFileSync(bad, '{"format": "autoencoder-studio-project", "version": 1, "graph": {"nodes": [');
  await app.keyboard.press('Control+o');
  const open = app.getByRole('dialog', { name: 'Open project' });
  await open.getByLabel('File path').fill(bad);
  await open.getByRole('button', { name: 'Open' }).click();
  await expect(app.getByRole('alert')).toContainText('broken.aestudio is not valid JSON');
  await expect(node(app, 'code')).toBeVisible();
});

test('the template gallery shows blank and every template with pictures and opens one', async ({ app }) => {
  await app.getByRole('button', { name: 'New' }).click();
  const gallery = app.getByRole('dialog', { name: 'New project' });
  const templates = ['blank', 'vanilla', 'multilayer', 'convolutional', 'seedconv', 'sparse', 'denoising', 'unet-denoising', 'vae-dense', 'vae-conv'];
  await expect(gallery.locator('.gallery__item')).toHaveCount(templates.length);
  expect(await gallery.locator('.gallery__item').evaluateAll((els) => els.map((e) => e.getAttribute('data-template')))).toEqual(templates);
  await expect(gallery.locator('svg.thumbnail')).toHaveCount(templates.length);
  await app.screenshot({ path: 'test-results/template-gallery.png' });
  await gallery.locator('[data-template="convolutional"]').click();
  await expect(app.getByTestId('total-params')).toHaveText('3,217 parameters');
  await expect(node(app, 'code').getByTestId('node-shape')).toContainText('7×7×8');
});

test('a CSV dataset imported in the picker shows what loading found and reshapes the Input node', async ({ app, studio }) => {
  const { writeFileSync } = await import('node:fs');
  const csv = `${studio.stateDir}/table.csv`;
  writeFileSync(csv, ['a,b,c,d,e,f,label', ...Array.from({ length: 50 }, (_, i) => `${i},${i * 2},${i % 7},${100 - i},${(i * 13) % 17},${i / 10},${i % 3}`)].join('\n'));
  await showView(app, 'data');
  const panel = app.getByRole('region', { name: 'Dataset' });
  await panel.getByLabel('Dataset').selectOption('custom');
  await panel.getByLabel('Import format').selectOption('csv');
  await panel.getByLabel('Import path').fill(csv);
  await panel.getByLabel('Label column').fill('label');
  await panel.getByRole('button', { name: 'Load' }).click();
  await expect(app.getByTestId('dataset-summary')).toContainText('50 samples');
  await expect(app.getByTestId('dataset-summary')).toContainText('3 labels');
  await expect(app.getByTestId('dataset-summary')).toContainText('(standardised)');
  await panel.getByRole('button', { name: 'Use for this project' }).click();
  await showView(app, 'design');
  await expect(node(app, 'input').getByTestId('node-shape')).toHaveText('6');
  // The vanilla decoder still makes 784 values: the mismatch is reported where it is.
  await expect(node(app, 'output').getByTestId('node-diagnostic')).toContainText('but the input is 6 (6 values)');
});

test('a CSV with a text cell is refused in the picker, naming row and column', async ({ app, studio }) => {
  const { writeFileSync } = await import('node:fs');
  const csv = `${studio.stateDir}/bad.csv`;
  writeFileSync(csv, 'x,y\n1,2\n3,oops\n');
  await showView(app, 'data');
  const panel = app.getByRole('region', { name: 'Dataset' });
  await panel.getByLabel('Dataset').selectOption('custom');
  await panel.getByLabel('Import path').fill(csv);
  await panel.getByRole('button', { name: 'Load' }).click();
  // What is wrong and where, then what to try.
  await expect(panel.getByRole('alert')).toHaveText(/^bad\.csv, row 3, column "y": "oops" is not a number\. Write numbers in decimal notation .*remove text columns/);
});

