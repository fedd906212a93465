/**
 * Graphs in the browser: the U-Net denoiser template trained on MNIST with its
 * denoising analysis, and merges built on the canvas as a person would (drag
 * from handles, undo, paste, auto-layout). Screenshots go to test-results/.
 */
import type { Page } from '@playwright/test';
import { dropFromPalette, expect, node, selectNode, showView, test } from './fixtures';

/**
 * Waits until the view and every node's position have stopped changing (fit, layout and centring animate
 * them): the same over two polls in a row after a first read, so it cannot return before a change began.
 */
async function settled(app: Page): Promise<void> {
  const state = () => app.evaluate(() => [...document.querySelectorAll<HTMLElement>('.react-flow__viewport, .react-flow__node')].map((e) => e.style.transform).join('|'));
  let last: string | null = null;
  let same = 0;
  await expect.poll(async () => {
    const now = await state();
    same = now === last ? same + 1 : 0;
    last = now;
    return same;
  }, { intervals: [100, 100, 250] }).toBeGreaterThanOrEqual(2);
}

/** Opens a template from the gallery (New → its card). */
async function openTemplate(app: Page, id: string): Promise<void> {
  await app.getByRole('button', { name: 'New' }).click();
  await app.getByRole('dialog', { name: 'New project' }).locator(`[data-template="${id}"]`).click();
  await settled(app); // the canvas fits the new graph in view
}

test('the U-Net denoiser from the gallery trains on MNIST and its denoising analysis shows a PSNR gain', async ({ app }) => {
  test.setTimeout(180_000);
  await openTemplate(app, 'unet-denoising');
  await expect(app.getByTestId('compile-status')).not.toHaveText(/error/);
  // Opened in view: every node inside the canvas.
  const pane = (await app.locator('.react-flow__pane').boundingBox())!;
  for (const id of ['input', 'noise', 'enc0', 'enc1', 'code', 'dec1', 'cat1', 'dec2', 'cat2', 'last', 'output']) {
    const b = (await node(app, id).boundingBox())!;
    expect(b.x >= pane.x && b.y >= pane.y && b.x + b.width <= pane.x + pane.width && b.y + b.height <= pane.y + pane.height, `${id} inside the canvas`).toBe(true);
  }
  await expect(node(app, 'code').getByTestId('node-shape')).toContainText('7×7×8');
  await expect(node(app, 'cat1').getByTestId('node-shape')).toContainText('14×14×32');
  await expect(node(app, 'cat2').getByTestId('node-shape')).toContainText('28×28×16');
  // The skips go around the code: drawn dashed, and each merge shows a handle per input plus a free one.
  await expect(app.locator('.react-flow__edge path.bypasses-code')).toHaveCount(2);
  await expect(node(app, 'cat1').locator('.react-flow__handle.target')).toHaveCount(3);
  await expect(app.getByTestId('edge-shape')).toHaveCount(12);
  await app.getByRole('button', { name: 'Fit', exact: true }).click();
  await settled(app);
  await app.locator('.canvas').screenshot({ path: 'test-results/graphs-unet-canvas.png' });
  // Close up, as a person reads it: each skip's warning in the problems list centres its merge at a readable zoom.
  for (const [k, skip] of ['skip 1', 'skip 2'].entries()) {
    await app.getByTestId('diagnostic').filter({ hasText: `Concat ${skip}` }).click();
    await settled(app);
    await app.locator('.canvas').screenshot({ path: `test-results/graphs-unet-canvas-skip${k + 1}.png` });
  }

  await showView(app, 'train');
  const panel = app.getByRole('region', { name: 'Training' });
  await panel.getByLabel('Epochs', { exact: true }).fill('4');
  await panel.getByLabel('Max samples').fill('2000');
  await panel.getByLabel('Learning rate').fill('0.005');
  await panel.getByLabel('Batch size').fill('32');
  await app.getByTestId('start').click();
  await expect(app.getByTestId('run-status')).toHaveText('running');
  await expect(app.getByTestId('run-status')).toHaveText('finished', { timeout: 150_000 });

  await app.screenshot({ path: 'test-results/graphs-unet-trained.png' });
  await showView(app, 'runs');
  await app.getByTestId('analyze-run').first().click();
  const dialog = app.getByRole('region', { name: 'Analysis' });
  await dialog.getByTestId('analyze-denoise').click();
  const figures = dialog.getByTestId('denoise-psnr');
  await expect(figures).toContainText(/noised [\d.]+ dB → denoised [\d.]+ dB/, { timeout: 60_000 });
  await expect(dialog.getByTestId('denoise-images')).toBeVisible();
  await app.screenshot({ path: 'test-results/graphs-unet-denoise.png' });
  const [, noised, denoised] = /noised ([\d.]+) dB → denoised ([\d.]+) dB/.exec((await figures.textContent())!)!.map(Number);
  expect(denoised, `PSNR noised ${noised} dB, denoised ${denoised} dB`).toBeGreaterThan(noised);
  // No decoder alone: the latent explorer says why it is off.
  await dialog.getByRole('tab', { name: 'Latent explorer' }).click();
  await expect(dialog.getByTestId('analysis-off')).toContainText('no decoder alone');
});

/** Drags with the mouse from `source`'s output handle to `target`'s input handle (a merge's free one). */
async function drawEdge(app: Page, source: string, target: string): Promise<void> {
  const from = (await node(app, source).locator('.react-flow__handle.source').boundingBox())!;
  const targets = node(app, target).locator('.react-flow__handle.target');
  const to = (await targets.nth((await targets.count()) - 1).boundingBox())!;
  await app.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await app.mouse.down();
  await app.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 15 });
  await app.mouse.up();
}

/** The edges as "source→target", sorted, read from React Flow's markup. */
async function edgeList(app: Page): Promise<string[]> {
  const ids = await app.locator('.react-flow__edge').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('data-testid') ?? ''));
  return ids.sort();
}

test('two branches joined by a merge on the canvas: shapes on every edge, the concat diagnostic, undo/redo, paste and auto-layout keep the graph', async ({ app }) => {
  await openTemplate(app, 'convolutional');
  const below = (await node(app, 'dec1').boundingBox())!;
  await dropFromPalette(app, 'merge', { x: below.x + below.width / 2, y: below.y + below.height + 140 });
  const merge = node(app, 'merge1');
  await expect(merge).toBeVisible();
  await expect(merge.locator('.react-flow__handle.target')).toHaveCount(1); // only the free one
  await app.locator('.inspector').getByLabel('Mode', { exact: true }).selectOption('concat');

  // The decoder's branch and the encoder's skip into the merge; enc1's one output now feeds two nodes.
  await drawEdge(app, 'dec1', 'merge1');
  await expect(merge.locator('.react-flow__handle.target')).toHaveCount(2);
  await drawEdge(app, 'enc1', 'merge1');
  await expect(merge.locator('.react-flow__handle.target')).toHaveCount(3);
  await expect(app.locator('.react-flow__edge')).toHaveCount(8);
  await drawEdge(app, 'merge1', 'dec2'); // replaces dec1 → dec2: dec2 takes one input
  await expect(app.locator('.react-flow__edge')).toHaveCount(8);
  await expect.poll(() => edgeList(app)).toContain('Edge from merge1 to dec2');
  expect(await edgeList(app)).not.toContain('Edge from dec1 to dec2');
  await expect(merge.getByTestId('node-shape')).toHaveText('14×14×24');
  await expect(app.getByTestId('compile-status')).toHaveText('compiles');
  await expect.poll(async () => (await app.getByTestId('edge-shape').allTextContents()).sort()).toEqual(
    ['28×28×1', '14×14×16', '7×7×8', '14×14×8', '14×14×16', '14×14×24', '28×28×16', '28×28×1'].sort(),
  );
  await expect(app.locator('.react-flow__edge path.bypasses-code')).toHaveCount(1);
  await app.locator('.canvas').screenshot({ path: 'test-results/graphs-merge-built.png' });

  // A third input whose height and width disagree: the diagnostic names both shapes and the axis.
  await drawEdge(app, 'input', 'merge1');
  await expect(app.getByTestId('compile-status')).toHaveText('1 error');
  await expect(app.getByTestId('diagnostic').filter({ hasText: '✖' })).toContainText('input 3 is 28×28×1 but input 1 is 14×14×8: they differ on the height (axis 1)');
  await expect(app.locator('.react-flow__edge path.has-error')).toHaveCount(1);
  await expect(merge.locator('.react-flow__handle.target')).toHaveCount(4);
  await app.keyboard.press('Control+z');
  await expect(app.getByTestId('compile-status')).toHaveText('compiles');
  await expect(merge.locator('.react-flow__handle.target')).toHaveCount(3);
  const built = await edgeList(app);

  // Undo the rewiring back to the chain, then redo it: the same DAG.
  for (let i = 0; i < 3; i++) await app.keyboard.press('Control+z');
  await expect(app.locator('.react-flow__edge')).toHaveCount(6);
  await expect(merge.locator('.react-flow__handle.target')).toHaveCount(1);
  for (let i = 0; i < 3; i++) await app.keyboard.press('Control+Shift+z');
  await expect(app.locator('.react-flow__edge')).toHaveCount(8);
  expect(await edgeList(app)).toEqual(built);
  await expect(merge.getByTestId('node-shape')).toHaveText('14×14×24');

  // Copy the encoder, code, first decoder and merge: the paste keeps their four inner edges, the merge both inputs.
  await selectNode(app, 'enc1');
  for (const id of ['code', 'dec1', 'merge1']) await node(app, id).locator('.layer-node__label').click({ modifiers: ['Shift'] });
  await app.keyboard.press('Control+c');
  await app.keyboard.press('Control+v');
  await expect(app.locator('.react-flow__node')).toHaveCount(12);
  await expect(app.locator('.react-flow__edge')).toHaveCount(12);
  await expect(node(app, 'merge2').locator('.react-flow__handle.target')).toHaveCount(3);
  await app.keyboard.press('Control+z');
  await expect(app.locator('.react-flow__node')).toHaveCount(8);
  expect(await edgeList(app)).toEqual(built);

  // Auto-layout: left to right along every path, the merge on its own, no two nodes overlapping. In a canvas
  // wide enough for one row at a readable zoom (in a narrower one the layout wraps its layers into rows:
  // views.spec.ts checks that every template then opens whole and readable).
  await app.setViewportSize({ width: 2200, height: 950 });
  await app.keyboard.press('Shift+L');
  await settled(app);
  const boxes = await Promise.all(['input', 'enc1', 'code', 'dec1', 'merge1', 'dec2', 'dec3', 'output'].map(async (id) => ({ id, box: (await node(app, id).boundingBox())! })));
  const at = Object.fromEntries(boxes.map((b) => [b.id, b.box]));
  for (const [a, b] of [['input', 'enc1'], ['enc1', 'code'], ['code', 'dec1'], ['dec1', 'merge1'], ['enc1', 'merge1'], ['merge1', 'dec2'], ['dec2', 'dec3'], ['dec3', 'output']]) expect(at[a].x + at[a].width, `${a} left of ${b}`).toBeLessThan(at[b].x);
  for (const p of boxes) for (const q of boxes) {
    if (p.id >= q.id) continue;
    const apart = p.box.x + p.box.width <= q.box.x || q.box.x + q.box.width <= p.box.x || p.box.y + p.box.height <= q.box.y || q.box.y + q.box.height <= p.box.y;
    expect(apart, `${p.id} and ${q.id} overlap`).toBe(true);
  }
  // The skip is drawn as one curve between its handles: the branch it goes around lies clear of it (room for a label).
  const skipFrom = (await node(app, 'enc1').locator('.react-flow__handle.source').boundingBox())!;
  const skipTo = (await node(app, 'merge1').locator('.react-flow__handle.target').nth(1).boundingBox())!;
  const band = [Math.min(skipFrom.y, skipTo.y), Math.max(skipFrom.y + skipFrom.height, skipTo.y + skipTo.height)];
  for (const id of ['code', 'dec1']) expect(at[id].y > band[1] + 8 || at[id].y + at[id].height < band[0] - 8, `the skip enc1 → merge1 (y ${band.join('–')}) runs clear of ${id} (y ${at[id].y}–${at[id].y + at[id].height})`).toBe(true);
  await app.locator('.canvas').screenshot({ path: 'test-results/graphs-merge-layout.png' });
});

test('a node dropped on a skip is inserted into it and the merge keeps its inputs; deleting it leaves the merge one input short, said on the merge', async ({ app }) => {
  await openTemplate(app, 'unet-denoising');
  await expect(app.locator('.react-flow__edge')).toHaveCount(12);
  // Drop a batch norm on the first skip, halfway along its curve (between enc1's output and cat1's second input).
  const from = (await node(app, 'enc1').locator('.react-flow__handle.source').boundingBox())!;
  const to = (await node(app, 'cat1').locator('.react-flow__handle.target').nth(1).boundingBox())!;
  await dropFromPalette(app, 'batchNorm', { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 + 3 });
  await expect(node(app, 'batchNorm1')).toBeVisible();
  await expect(app.locator('.react-flow__edge')).toHaveCount(13);
  expect(await edgeList(app)).toEqual(expect.arrayContaining(['Edge from enc1 to batchNorm1', 'Edge from batchNorm1 to cat1']));
  expect(await edgeList(app)).not.toContain('Edge from enc1 to cat1');
  await expect(node(app, 'batchNorm1').getByTestId('node-shape')).toContainText('14×14×16');
  await expect(node(app, 'cat1').getByTestId('node-shape')).toContainText('14×14×32');
  await expect(node(app, 'cat1').locator('.react-flow__handle.target')).toHaveCount(3);
  await expect(app.getByTestId('compile-status')).toHaveText('compiles');
  await expect(app.getByTestId('edge-shape')).toHaveCount(13);

  await selectNode(app, 'batchNorm1');
  await app.keyboard.press('Delete');
  await expect(app.locator('.react-flow__edge')).toHaveCount(11);
  await expect(node(app, 'cat1').locator('.react-flow__handle.target')).toHaveCount(2);
  await expect(node(app, 'cat1').getByTestId('node-diagnostic')).toContainText('has 1 input but merges two or more');
  await app.keyboard.press('Control+z');
  await expect(app.locator('.react-flow__edge')).toHaveCount(13);
  await expect(app.getByTestId('edge-shape')).toHaveCount(13);
  await expect(app.getByTestId('compile-status')).toHaveText('compiles');
});
