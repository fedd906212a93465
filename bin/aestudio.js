#!/usr/bin/env node
// The `aestudio` command. An installed package runs the bundled CLI,
// out/main/cli.js (built by `npm run build`), which starts the bundled
// trainer beside it: no TypeScript at run time. A checkout whose build is
// missing or older than its sources runs the sources through tsx instead,
// resolved from this package's own folder (never the current one), so the
// command works from any folder either way.
// AESTUDIO_CLI=source or =built forces one of the two (tests use it).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'out/main/cli.js');
const sourceDirs = ['src-main', 'src-shared'].map((d) => join(root, d));

/** The newest modification time of any file under `dir` (0 when it does not exist). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function useBuilt() {
  const forced = process.env.AESTUDIO_CLI;
  if (forced === 'built' || forced === 'source') return forced === 'built';
  if (!existsSync(built)) return false;
  const haveSources = sourceDirs.every((d) => existsSync(d));
  // A checkout edited since its last build runs the sources, so nobody runs stale code by accident.
  return !haveSources || statSync(built).mtimeMs >= Math.max(...sourceDirs.map(newestMtime));
}

if (useBuilt()) {
  if (!existsSync(built)) {
    process.stderr.write(`aestudio: ${built} is missing. Run "npm run build" in ${root}.\n`);
    process.exit(1);
  }
  await import(pathToFileURL(built).href);
} else if (!existsSync(join(root, 'src-main/cli/entry.ts'))) {
  process.stderr.write(`aestudio: this package has neither a build (out/main/cli.js) nor its sources. Reinstall it.\n`);
  process.exit(1);
} else {
  // Resolved relative to this file, so the package's own tsx is used whatever the current folder.
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src-main/cli/entry.ts')).href);
}
