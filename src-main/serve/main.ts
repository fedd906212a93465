/**
 * `npm run serve`: the app in a browser. Serves the renderer build and the
 * services on 127.0.0.1 and prints the URL (with its token) to open.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCacheDir, defaultStateDir } from '../services/app-paths';
import { createStudioHandlers } from '../services/studio-handlers';
import { TrainingService } from '../services/training-service';
import { forkLauncher } from '../trainer/host/trainer-child';
import { startServer } from './server';

const ROOT = join(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { port: { type: 'string', default: '5178' }, 'renderer-dir': { type: 'string' }, 'state-dir': { type: 'string' } } });
const rendererDir = values['renderer-dir'] ?? join(ROOT, 'out/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`No renderer build in ${rendererDir}. Run \`npm run build\` first (npm run serve does).`);
  process.exit(1);
}
const stateDir = values['state-dir'] ?? defaultStateDir();
const training = new TrainingService(forkLauncher());
const handlers = createStudioHandlers({
  version: process.env.npm_package_version ?? 'dev',
  shell: 'browser',
  cacheDir: defaultCacheDir(),
  runsDir: join(stateDir, 'runs'), // the server's /run-file route offers files from here too
  stateDir,
  projectsDir: join(stateDir, 'projects'),
  training,
  pickPath: async () => ({ kind: 'unsupported' }),
});
const server = await startServer({ port: Number(values.port), rendererDir, handlers, training, runsDir: join(stateDir, 'runs') }).catch((e: NodeJS.ErrnoException) => {
  console.error(e.code === 'EADDRINUSE' ? `Port ${values.port} is in use. Pass another with --port, or --port 0 for any free one.` : `Cannot start the server: ${e.message}`);
  training.dispose();
  process.exit(1);
});
console.log(`Autoencoder Studio is running at ${server.url}`);
const shutdown = () => {
  training.dispose();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
