/**
 * `npm start` on a machine that cannot download Electron: the real script,
 * run against a stand-in electron package whose installer fails (the one
 * place the Electron binary is replaced), must point at browser mode.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('scripts/ensure-electron.js', () => {
  it('says to use `npm run serve` when the Electron binary cannot be downloaded', () => {
    const root = mkdtempSync(join(tmpdir(), 'aes-ensure-electron-'));
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(import.meta.dirname, '../scripts/ensure-electron.js'), join(root, 'scripts/ensure-electron.js'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    const electron = join(root, 'node_modules/electron');
    mkdirSync(electron, { recursive: true });
    writeFileSync(join(electron, 'package.json'), '{"name":"electron","version":"0.0.0"}');
    writeFileSync(join(electron, 'install.js'), "console.error('getaddrinfo ENOTFOUND github.com'); process.exit(1);");
    const r = spawnSync(process.execPath, [join(root, 'scripts/ensure-electron.js')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Could not download Electron');
    expect(r.stderr).toContain('`npm run serve`, then open the URL it prints');
  });
});
