/** Entry point of the trainer process (utilityProcess in Electron, child process under Node). */
import { exitWithParent, processPort } from './port';
import { serveTrainer } from './trainer-main';

exitWithParent();
serveTrainer(processPort());
