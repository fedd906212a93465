/** How a run's backend was chosen, in one sentence for the backend badge, the CLI and the run list. */
import type { BackendMeasurement } from '../protocol/trainer-messages';

/** "node 12.0 ms, wasm (2 threads) 4.1 ms a training step: wasm, the fastest (measured in an earlier run of this model)". */
export function backendChoiceText(measurement: BackendMeasurement | null, notes: readonly string[]): string {
  const why = measurement
    ? `${measurement.reason}${measurement.cached ? ' (measured in an earlier run of this model on this machine)' : ''}`
    : 'Not measured: the backend was forced or is the only one that loads';
  return notes.length ? `${why}. Not available: ${notes.join('; ')}` : why;
}
