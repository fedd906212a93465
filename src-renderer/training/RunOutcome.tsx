/** When a run ends: why it stopped and which epoch's weights its model keeps, in the sentence the CLI and the run list use. */
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { stopReasonText } from '../../src-shared/run/training-schedule';

type Done = Extract<TrainerEvent, { type: 'done' }>;

export function RunOutcome({ done, settings }: { done: Done | null; settings: TrainingSettings | null }) {
  if (!done?.stopReason) return null;
  const last = done.epochs.at(-1)?.epoch ?? 0;
  const kept = done.keptEpoch ?? null;
  return (
    <div className="run-outcome" role="status" data-testid="run-outcome" data-stop-reason={done.stopReason} data-kept-epoch={kept ?? ''}>
      <strong>{stopReasonText(done.stopReason, last, settings, { keptEpoch: kept, bestEpoch: done.bestEpoch ?? null })}.</strong>{' '}
      {kept !== null ? <span className="muted">Exports and analyses use epoch {kept}&apos;s weights.</span> : null}
    </div>
  );
}
