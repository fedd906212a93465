/**
 * The window's five full views on a real session (a short MNIST run): each
 * view shown by its tab or shortcut, screenshotted into test-results/, free of
 * serious accessibility problems (axe-core) and of horizontal overflow at
 * 1024×700; and every template opened at 1440×900 and 1024×700 with all its
 * nodes in view and no node text under 11 px; and, on a convolutional run, the
 * selected node's live activations, the hovered latent point's image, the
 * learning rate of a schedule and why the run stopped.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, node, selectNode, setField, showView, startStudio, test } from './fixtures';

const TEMPLATES = readdirSync(join(import.meta.dirname, '../resources/templates')).filter((f) => f.endsWith('.aestudio')).map((f) => f.replace(/\.aestudio$/, ''));
/** Enough epochs of 6,000 digits for the screenshots to show reconstructions that look like digits. */
const EPOCHS = 8;
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

/** Serious and critical axe violations on the page, as "rule: target" lines (empty when none). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? v.help}`));
}

/** Elements that reach past the window's right edge, or a page that scrolls sideways (empty when none). */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll('#root *')) {
      // The canvas's graph pans freely inside its pane; the pane itself is checked.
      if (el.closest('.react-flow__viewport, .react-flow__edgelabel-renderer, .react-flow__minimap')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && r.right > width + 1) out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} ends at ${Math.round(r.right)} > ${width}`);
    }
    return out.slice(0, 10);
  });
}

test.describe.serial('the five views on a short real run', () => {
  let browser: Browser;
  let page: Page;
  let server: ChildProcess;

  test.beforeAll(async ({ browser: b }) => {
    test.setTimeout(180_000);
    browser = b;
    const { url, child } = await startStudio(mkdtempSync(join(tmpdir(), 'aes-e2e-views-')));
    server = child;
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(url);
    await expect(page.getByTestId('compile-status')).toHaveText('compiles');
    await showView(page, 'train');
    const panel = page.getByRole('region', { name: 'Training' });
    await panel.getByLabel('Epochs', { exact: true }).fill(String(EPOCHS));
    await panel.getByLabel('Max samples').fill('6000');
    await page.getByTestId('start').click();
    await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 150_000 });
  });
  test.afterAll(async () => {
    await page?.context().close();
    server?.kill();
  });

  const check = async (name: string) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: `test-results/view-${name}.png` });
    expect(await seriousViolations(page), 'serious or critical accessibility violations').toEqual([]);
    await page.setViewportSize({ width: 1024, height: 700 });
    // Charts follow their pane through a ResizeObserver, a frame after the window changes: poll until settled.
    await expect.poll(() => horizontalOverflow(page), { message: 'horizontal overflow at 1024×700', timeout: 10_000 }).toEqual([]);
    await page.screenshot({ path: `test-results/view-${name}-1024.png` });
    await page.setViewportSize({ width: 1440, height: 900 });
  };

  test('Design: canvas, inspector and problems', async () => {
    await page.keyboard.press('Alt+1');
    await expect(page.getByTestId('view-tab-design')).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    await page.locator('.react-flow__node[data-id="code"] .layer-node__label').click();
    await expect(page.locator('.inspector')).toContainText('Latent size');
    await check('design');
  });

  test('Data: the dataset and its preview', async () => {
    await page.keyboard.press('Alt+2');
    await expect(page.getByTestId('dataset-summary')).toContainText('10,000 samples');
    await expect(page.getByTestId('dataset-samples')).toBeVisible();
    await expect(page.getByTestId('data-view').getByTestId('data-sample')).toHaveCount(24); // the browser's first page, not "Loading…"
    await check('data');
  });

  test('Train: loss chart, reconstructions over the epochs, latent space', async () => {
    await page.keyboard.press('Alt+3');
    const chart = page.getByTestId('loss-chart');
    await expect(chart.locator('canvas')).toBeVisible();
    // Large: the chart spans most of the view's width, not a sidebar's.
    expect((await chart.boundingBox())!.width).toBeGreaterThan(800);
    await expect(chart.locator('.u-axis')).toHaveCount(2);
    await expect(chart).toHaveAttribute('data-x-label', 'epoch');
    await expect(chart).toHaveAttribute('data-y-label', 'loss (log scale)');
    await page.getByTestId('loss-scale-linear').click();
    await expect(chart).toHaveAttribute('data-scale', 'linear');
    await expect(chart).toHaveAttribute('data-y-label', 'loss');
    // Hover values: the legend shows the numbers under the cursor.
    const plot = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(plot.x + plot.width * 0.9, plot.y + plot.height / 2);
    await expect(chart.locator('.u-legend .u-value').first()).not.toHaveText('—');
    // Reconstructions readable, with a slider back to the first epoch.
    const recon = page.getByTestId('reconstructions');
    expect(Number(await recon.locator('canvas').getAttribute('data-zoom'))).toBeGreaterThanOrEqual(3);
    await expect(recon).toHaveAttribute('data-epoch', String(EPOCHS));
    const slider = page.getByTestId('recon-epoch');
    await slider.fill('0');
    await expect(recon).toHaveAttribute('data-epoch', '1');
    await slider.fill((await slider.getAttribute('max'))!); // back to the latest, which it follows again
    await expect(recon).toHaveAttribute('data-epoch', String(EPOCHS));
    // The latent scatter is large, and a hovered point names its label.
    const scatter = page.getByTestId('latent-canvas');
    const box = (await scatter.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(300);
    const hit = await scatter.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 200) return { x: ((i / 4) % c.width) + 1, y: Math.floor(i / 4 / c.width) + 1 };
      return null;
    });
    expect(hit).not.toBeNull();
    await page.mouse.move(box.x + hit!.x, box.y + hit!.y);
    await expect(page.getByTestId('latent-hover')).toContainText(/sample \d+ · label\s+\d/);
    // The screenshot shows the values under the cursor on the chart.
    const over = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.62, over.y + over.height / 2);
    await check('train');
  });

  test('Runs: the kept runs', async () => {
    await page.keyboard.press('Alt+4');
    await expect(page.getByRole('region', { name: 'Runs' }).getByTestId('run-row')).toHaveCount(1);
    await check('runs');
  });

  test('Analyse: a run opened from Runs', async () => {
    await page.keyboard.press('Alt+5');
    await expect(page.getByRole('button', { name: 'Go to Runs' })).toBeVisible();
    await page.getByRole('button', { name: 'Go to Runs' }).click();
    await page.getByTestId('analyze-run').first().click();
    await expect(page.getByTestId('view-tab-analyse')).toHaveAttribute('aria-selected', 'true');
    const analysis = page.getByRole('region', { name: 'Analysis' });
    await analysis.getByTestId('analyze-denoise').click();
    await expect(analysis.getByTestId('denoise-psnr')).toContainText(/dB/, { timeout: 60_000 });
    await check('analyse');
  });
});

test('node titles follow their parameters, a problem selects the node its hint names, a paste lands clear', async ({ app }) => {
  // The Input node names the dataset in use.
  await expect(node(app, 'input').getByTestId('node-dataset')).toHaveText('MNIST digits');
  // "Code 64" follows the size; a title the person typed stays theirs.
  await selectNode(app, 'code');
  await setField(app, 'Latent size', '16');
  await expect(node(app, 'code').locator('.layer-node__label')).toHaveText('Code 16');
  await expect(app.locator('.inspector').getByLabel('Label', { exact: true })).toHaveValue('Code 16');
  await app.locator('.inspector').getByLabel('Label', { exact: true }).fill('My code');
  await app.locator('.inspector').getByLabel('Label', { exact: true }).press('Tab');
  await setField(app, 'Latent size', '8');
  await expect(node(app, 'code').locator('.layer-node__label')).toHaveText('My code');
  // The output mismatch is about the Output, but its hint says to set the decoder's units: a click selects the decoder.
  await selectNode(app, 'dec');
  await setField(app, 'Units', '500');
  await expect(node(app, 'dec').locator('.layer-node__label')).toHaveText('Decoder 500');
  const problem = app.getByTestId('diagnostic').filter({ hasText: 'The reconstruction is 500' });
  await expect(problem).toContainText('Set the units of Decoder "Decoder 500" to 784.');
  await app.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await problem.click();
  await expect(node(app, 'dec')).toHaveClass(/selected/);
  await expect(node(app, 'output')).not.toHaveClass(/selected/);
  // A pasted node lands clear of every original.
  await app.keyboard.press('Control+c');
  await app.keyboard.press('Control+v');
  await expect(app.locator('.react-flow__node')).toHaveCount(5);
  const boxes = await app.locator('.react-flow__node').evaluateAll((els) => els.map((e) => ({ id: (e as HTMLElement).dataset.id!, ...e.getBoundingClientRect().toJSON() }) as { id: string; left: number; right: number; top: number; bottom: number }));
  const pasted = boxes.find((b) => !['input', 'code', 'dec', 'output'].includes(b.id))!;
  for (const b of boxes.filter((x) => x !== pasted)) {
    const overlap = pasted.left < b.right && b.left < pasted.right && pasted.top < b.bottom && b.top < pasted.bottom;
    expect(overlap, `pasted ${pasted.id} over ${b.id}`).toBe(false);
  }
});

test('canvas keys act only where the canvas shows: Delete in another view leaves the graph alone', async ({ app }) => {
  await selectNode(app, 'code');
  await app.keyboard.press('Alt+4');
  await expect(app.getByTestId('view-tab-runs')).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('Delete');
  await app.keyboard.press('Alt+1');
  await expect(app.locator('.react-flow__node')).toHaveCount(4);
  await selectNode(app, 'code');
  await app.keyboard.press('Delete');
  await expect(app.locator('.react-flow__node')).toHaveCount(3);
});

test('pane sizes persist across a reload', async ({ app }) => {
  const splitter = app.getByTestId('splitter-inspector');
  const before = Number(await splitter.getAttribute('aria-valuenow'));
  const box = (await splitter.boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2, { steps: 4 });
  await app.mouse.up();
  await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 80));
  await app.reload();
  await expect(app.getByTestId('splitter-inspector')).toHaveAttribute('aria-valuenow', String(before + 80));
  expect((await app.locator('.design-view__side').boundingBox())!.width).toBeCloseTo(before + 80, 0);
});

for (const size of SIZES) {
  test(`every template opens whole and readable at ${size.width}×${size.height}`, async ({ app }) => {
    test.setTimeout(120_000);
    await app.setViewportSize(size);
    const problems: string[] = [];
    for (const id of TEMPLATES) {
      await app.getByRole('button', { name: 'New' }).click();
      await app.getByRole('dialog', { name: 'New project' }).locator(`[data-template="${id}"]`).click();
      await expect(app.getByRole('dialog', { name: 'New project' })).toHaveCount(0);
      // Settled: the fit after the arrangement has run when two frames pass with the same transform.
      let last = '';
      await expect.poll(async () => {
        const t = await app.locator('.react-flow__viewport').evaluate((v) => getComputedStyle(v).transform);
        const same = t === last;
        last = t;
        return same;
      }).toBe(true);
      const found = await app.evaluate(() => {
        const pane = document.querySelector('.canvas .react-flow')!.getBoundingClientRect();
        const zoom = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
        const out: string[] = [];
        for (const n of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
          const r = n.getBoundingClientRect();
          if (r.left < pane.left - 1 || r.top < pane.top - 1 || r.right > pane.right + 1 || r.bottom > pane.bottom + 1) out.push(`node ${n.dataset.id} out of view`);
          for (const el of n.querySelectorAll<HTMLElement>('*')) {
            if (!el.textContent?.trim() || el.children.length > 0) continue;
            const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
            if (px < 11 - 1e-6) out.push(`node ${n.dataset.id} text "${el.textContent.slice(0, 20)}" at ${px.toFixed(1)} px`);
          }
        }
        for (const el of document.querySelectorAll<HTMLElement>('.shape-edge__label')) {
          const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
          if (px < 11 - 1e-6) out.push(`edge label "${el.textContent}" at ${px.toFixed(1)} px`);
        }
        if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push('page scrolls sideways');
        return out;
      });
      problems.push(...found.map((f) => `${id}: ${f}`));
      await app.screenshot({ path: `test-results/template-${id}-${size.width}x${size.height}.png` });
    }
    expect(problems).toEqual([]);
  });
}

test("Train: the selected node's activations live, the hovered point's image, the learning rate and why the run stopped", async ({ app }) => {
  test.setTimeout(240_000);
  // Tall enough for the chart, the latent plot and the activations in one screenshot, without scrolling the dashboard.
  await app.setViewportSize({ width: 1440, height: 1400 });
  await app.getByRole('button', { name: 'New' }).click();
  await app.getByRole('dialog', { name: 'New project' }).locator('[data-template="convolutional"]').click();
  await expect(app.getByRole('dialog', { name: 'New project' })).toHaveCount(0);
  await selectNode(app, 'enc1');
  const title = (await node(app, 'enc1').locator('.layer-node__label').textContent())!;
  await showView(app, 'train');
  const panel = app.getByRole('region', { name: 'Training' });
  // Many epochs: the run is paused and stopped by hand, never left to race the checks.
  await panel.getByLabel('Epochs', { exact: true }).fill('50');
  await panel.getByLabel('Learning-rate schedule').selectOption('step');
  await panel.getByLabel('Step every', { exact: true }).fill('1');
  await panel.getByLabel('Max samples').fill('1500');
  await app.getByTestId('start').click();
  // The encoder's feature maps (16 channels of 14×14 after its pooling), sent for this node only.
  const acts = app.getByTestId('activations');
  await expect(acts).toHaveAttribute('data-kind', 'maps');
  await expect(acts).toHaveAttribute('data-maps', '16');
  await expect(acts.locator('canvas.act-map')).toHaveCount(16);
  await expect(app.getByTestId('activations-node')).toHaveText(title);
  // Two epochs with a halved learning rate: the strip under the chart shows them.
  await expect(app.getByTestId('lr-strip')).toBeVisible();
  await app.getByTestId('pause').click();
  await expect(app.getByTestId('run-status')).toHaveText('paused');

  // Hover a point of the latent plot: its image beside its label; a click shows the activations on it, answered while paused.
  const scatter = app.getByTestId('latent-canvas');
  await expect(scatter).toBeVisible();
  const box = (await scatter.boundingBox())!;
  const hit = await scatter.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = d.length - 4; i >= 0; i -= 4) if (d[i] + d[i + 1] + d[i + 2] > 200) return { x: ((i / 4) % c.width) - 1, y: Math.floor(i / 4 / c.width) - 1 };
    return null;
  });
  expect(hit).not.toBeNull();
  await app.mouse.move(box.x + hit!.x, box.y + hit!.y);
  const tip = app.getByTestId('latent-hover');
  await expect(tip).toContainText(/sample \d+ · label\s+\d/);
  const thumb = tip.getByTestId('sample-thumb');
  await expect(thumb).toHaveAttribute('data-kind', 'image');
  const ink = await thumb.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 0 && v > 128).length);
  expect(ink, 'bright pixels of the digit in the hover image').toBeGreaterThan(20);
  const sample = Number((await tip.textContent())!.match(/sample (\d+)/)![1]);
  await app.mouse.down();
  await app.mouse.up();
  await expect(app.getByTestId('activation-sample')).toHaveValue(String(sample));
  await expect(acts).toHaveAttribute('data-sample', String(sample - 1));
  await expect(acts).toHaveAttribute('data-maps', '16');
  await expect(tip).toBeVisible();
  await app.screenshot({ path: 'test-results/train-activations.png' });
  expect(await seriousViolations(app), 'serious or critical accessibility violations with activations and a hover tip').toEqual([]);

  await app.getByTestId('stop').click();
  const outcome = app.getByTestId('run-outcome');
  await expect(outcome).toHaveAttribute('data-stop-reason', 'stoppedByUser');
  await expect(outcome).toContainText(/Stopped by you after \d+ epochs/);
});
