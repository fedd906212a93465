/** The Electron security checker that npm test runs: clean on the app, and it does fail on a window that breaks the checklist. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../scripts/security/electronegativity.js');

async function check(root?: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...(root ? [root] : [])]);
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}

describe('electronegativity', () => {
  it('finds nothing in the app (exceptions are justified in the code)', async () => {
    const r = await check();
    expect(r.output, r.output).toContain('Electronegativity: no findings');
    expect(r.code).toBe(0);
  }, 60_000);

  it('fails on a window with Node integration, no isolation and a page without a CSP', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aes-eneg-bad-'));
    mkdirSync(join(root, 'src-main/electron'), { recursive: true });
    mkdirSync(join(root, 'src-renderer'), { recursive: true });
    writeFileSync(join(root, 'src-main/electron/main.ts'), "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\n");
    writeFileSync(join(root, 'src-renderer/index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>\n');
    const r = await check(root);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/NODE_INTEGRATION_JS_CHECK/);
    expect(r.output).toMatch(/CONTEXT_ISOLATION_JS_CHECK/);
    expect(r.output).toMatch(/CSP_GLOBAL_CHECK/);
  }, 60_000);
});
