/** Entry point of the trainer process (utilityProcess in Electron, child process under Node). */
import { processPort } from './port';
import { serveTrainer } from './trainer-main';

serveTrainer(processPort());
