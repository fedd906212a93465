/**
 * How smooth dragging is with 300 nodes on the canvas. The frame times are
 * measured and reported (test annotations and the log), never asserted: a
 * loaded CI machine must not fail a test on speed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { serializeProject } from '../src-shared/project/project-file';
import { DEFAULT_TRAINING_SETTINGS } from '../src-shared/project/training-settings';
import { longDenseChain } from '../tests/helpers/graphs';
import { expect, node, showView, test } from './fixtures';

test('dragging a node among 300 stays smooth (frame times reported)', async ({ app, studio }, info) => {
  const graph = longDenseChain(300);
  graph.nodes.forEach((n, i) => (n.position = { x: (i % 20) * 230, y: Math.floor(i / 20) * 140 })); // a 20×15 grid
  mkdirSync(`${studio.stateDir}/projects`, { recursive: true });
  const path = `${studio.stateDir}/projects/big.aestudio`;
  writeFileSync(path, serializeProject({ format: 'autoencoder-studio-project', version: 1, name: 'Three hundred nodes', description: '', graph, training: DEFAULT_TRAINING_SETTINGS }));

  await app.keyboard.press('Control+o');
  const open = app.getByRole('dialog', { name: 'Open project' });
  await open.getByLabel('File path').fill(path);
  await open.getByRole('button', { name: 'Open' }).click();
  await expect(app.locator('.react-flow__node')).toHaveCount(300);
  await expect(app.getByTestId('compile-status')).toHaveText('compiles');

  const target = node(app, 'l40').locator('.layer-node__label');
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  await app.evaluate(() => {
    const w = window as unknown as { frames_: number[] };
    w.frames_ = [];
    let last = performance.now();
    const tick = (t: number) => {
      w.frames_.push(t - last);
      last = t;
      if (w.frames_.length < 400) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const before = await node(app, 'l40').getAttribute('style');
  await app.mouse.move(box.x + 5, box.y + 5);
  await app.mouse.down();
  for (let i = 1; i <= 60; i++) await app.mouse.move(box.x + 5 + i * 4, box.y + 5 + Math.sin(i / 5) * 40);
  await app.mouse.up();
  const frames = await app.evaluate(() => (window as unknown as { frames_: number[] }).frames_.slice(1));
  expect(await node(app, 'l40').getAttribute('style')).not.toBe(before); // the node really moved
  expect(frames.length).toBeGreaterThan(1); // it drew at all; how many frames a busy machine manages is reported, not asserted
  const sorted = [...frames].sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  const report = `300 nodes, drag: ${frames.length} frames, mean ${mean.toFixed(1)} ms (${(1000 / mean).toFixed(0)} fps), p95 ${p95.toFixed(1)} ms`;
  info.annotations.push({ type: 'frame-time', description: report });
  console.log(report);
});

test('the window keeps drawing frames while training events stream in (frame times reported)', async ({ app }, info) => {
  await showView(app, 'train'); // the view that draws the stream
  const panel = app.getByRole('region', { name: 'Training' });
  await panel.getByLabel('Epochs', { exact: true }).fill('500'); // still streaming through the measurement and running when stopped
  await panel.getByLabel('Max samples').fill('3000');
  await panel.getByLabel('Batch size').fill('16'); // small batches: the most events per second
  await app.getByTestId('start').click();
  await expect(app.getByTestId('reconstructions')).toBeVisible(); // the first reconstructions event, however long the start takes
  const before = await app.getByTestId('progress-text').textContent();
  const frames = await app.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        let last = performance.now();
        const end = last + 3000;
        const tick = (t: number) => {
          out.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(tick);
          else resolve(out.slice(1));
        };
        requestAnimationFrame(tick);
      }),
  );
  expect(await app.getByTestId('progress-text').textContent()).not.toBe(before); // events really streamed meanwhile
  expect(frames.length).toBeGreaterThan(1); // it kept drawing; the rate is reported, not asserted (a busy machine draws fewer)
  const sorted = [...frames].sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  const report = `training events streaming: ${frames.length} frames in 3 s, mean ${mean.toFixed(1)} ms (${(1000 / mean).toFixed(0)} fps), p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms`;
  info.annotations.push({ type: 'frame-time', description: report });
  console.log(report);
  await app.getByTestId('stop').click();
  await expect(app.getByTestId('run-status')).toHaveText('stopped');
});
