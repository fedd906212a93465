/** The Runs view: the kept runs, full width. */
import { RunsPanel } from '../runs/RunsPanel';

export function RunsView() {
  return (
    <div className="runs-view">
      <RunsPanel />
    </div>
  );
}
