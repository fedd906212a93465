// Fetches Electron's binary on first `npm start`, not at `npm install`: the
// install must succeed on machines that cannot download it (CI, offline
// builds), where everything but the desktop window still works.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log('Downloading the Electron binary (first start only)…');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(join(electronDir, 'path.txt'))) {
    console.error('\nCould not download Electron. Check the network (or set ELECTRON_MIRROR), then run `npm start` again.\n' +
      'Without Electron the whole app still runs in a browser: `npm run serve`, then open the URL it prints.\n' +
      'The command line (npx aestudio) and the tests (npm test) need no Electron either.');
    process.exit(1);
  }
}
