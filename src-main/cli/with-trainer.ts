/** Runs one request against a fresh trainer process and turns its outcome into an exit code. */
import { plainText } from '../../src-shared/text/plain-text';
import { TrainingService } from '../services/training-service';
import { forkLauncher } from '../trainer/host/trainer-child';
import type { CliIo } from './io';

/** Calls `work` with a trainer; errors become "error: …" on stderr and exit code 1; the trainer always ends. */
export async function withTrainer(io: CliIo, work: (service: TrainingService) => Promise<void>): Promise<number> {
  const service = new TrainingService(forkLauncher());
  try {
    await work(service);
    return 0;
  } catch (e) {
    io.err(`error: ${plainText((e as Error).message)}\n`);
    return 1;
  } finally {
    service.dispose();
  }
}
