/**
 * Browser mode for the tests: a real server (npm run serve's entry) with
 * fresh state folders per test, and helpers that act as a person would:
 * drag with the mouse, type in fields, select nodes by React Flow's markup.
 */
import { test as base, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** A running browser-mode server. */
export interface Studio {
  url: string;
  stateDir: string;
}

/** Starts a browser-mode server on a state folder (a test that restarts the app reuses the folder). */
export async function startStudio(stateDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main/serve/main.ts'), '--port', '0', '--state-dir', stateDir], {
    cwd: ROOT,
    env: { ...process.env, AESTUDIO_CACHE_DIR: process.env.AESTUDIO_CACHE_DIR ?? '/tmp/aestudio-test-cache' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { url, child };
}

export const test = base.extend<{ studio: Studio; app: Page }>({
  studio: async ({}, use) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'aes-e2e-'));
    const { url, child } = await startStudio(stateDir);
    await use({ url, stateDir });
    child.kill();
  },
  app: async ({ page, studio }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A Content-Security-Policy violation shows only on the console: count it as an error, so the strict policy is tested by every test.
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
    });
    await page.goto(studio.url);
    await expect(page.getByTestId('compile-status')).toHaveText('compiles');
    await use(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

/** The canvas node with this id. */
export function node(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

/** Drags a palette item to a point on the page (HTML5 drag and drop, as a mouse does). */
export async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  const pane = page.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  await page.locator(`.palette__item[data-kind="${kind}"]`).dragTo(pane, { targetPosition: { x: at.x - box.x, y: at.y - box.y } });
}

/** The page point halfway along the connection from node `a` to node `b`. */
export async function midpointBetween(page: Page, a: string, b: string): Promise<{ x: number; y: number }> {
  const ra = (await node(page, a).boundingBox())!;
  const rb = (await node(page, b).boundingBox())!;
  return { x: (ra.x + ra.width + rb.x) / 2, y: (ra.y + ra.height / 2 + rb.y + rb.height / 2) / 2 };
}

/** Clicks a node to select it (on its title, away from the handles). */
export async function selectNode(page: Page, id: string): Promise<void> {
  await node(page, id).locator('.layer-node__label').click();
}

/** Sets a number field of the inspector and commits it with Enter. */
export async function setField(page: Page, label: string, value: string): Promise<void> {
  const field = page.locator('.inspector').getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

/** Shows one of the window's full views by its tab, as a person does. */
export async function showView(page: Page, view: 'design' | 'data' | 'train' | 'runs' | 'analyse'): Promise<void> {
  await page.getByTestId(`view-tab-${view}`).click();
  await expect(page.getByTestId(`view-tab-${view}`)).toHaveAttribute('aria-selected', 'true');
}
