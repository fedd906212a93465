/**
 * The CLI as installed from the package: scripts/check-cli-pack.sh builds and
 * packs it, installs the tarball into a temporary prefix and runs it from
 * another folder. Slow-ish (about 10-30 s with npm's cache warm; the install
 * reads the registry when the cache is cold), hence the long timeout.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { TEST_CACHE_DIR } from './helpers/specs';

it('the packed package installs with npm install -g and its aestudio runs --version, compile and train from another folder', async () => {
  const { stdout } = await promisify(execFile)('bash', [join(import.meta.dirname, '../scripts/check-cli-pack.sh')], { env: { ...process.env, AESTUDIO_CACHE_DIR: TEST_CACHE_DIR }, maxBuffer: 16 * 1024 * 1024 });
  expect(stdout).toMatch(/^aestudio \d+\.\d+\.\d+: packed .* compile and train ran from another folder\n$/);
}, 300_000);
