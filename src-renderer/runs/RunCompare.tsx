/** Two or more runs side by side: overlaid curves, their architectures (parameters, code size, node-by-node diff) and their settings. */
import { useEffect, useState } from 'react';
import type { Graph } from '../../src-shared/graph/types';
import { parseProject } from '../../src-shared/project/project-file';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { studio } from '../studio/studio';
import { RunCompareChart } from './RunCompareChart';
import { architectureRows, graphDiffRows, settingRows } from './run-compare';
import type { CompareRow } from './run-compare';
import { runTitle } from './run-actions';

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toPrecision(4));

function Rows({ rows, testId }: { rows: CompareRow[]; testId: string }) {
  return (
    <>
      {rows.map((r) => (
        <tr key={r.label} className={r.differs ? 'differs' : ''} data-testid={testId}>
          <th scope="row">{r.label}</th>
          {r.cells.map((c, i) => (
            <td key={i}>{c}</td>
          ))}
        </tr>
      ))}
    </>
  );
}

/** A heading row across the table. */
const Section = ({ title, span }: { title: string; span: number }) => (
  <tr className="runs__section">
    <th colSpan={span}>{title}</th>
  </tr>
);

export function RunCompare({ runs }: { runs: RunSummary[] }) {
  // The graphs the runs were trained from (null: the run kept none, or it cannot be read).
  const [graphs, setGraphs] = useState<(Graph | null)[] | null>(null);
  const key = runs.map((r) => r.runId).join();
  useEffect(() => {
    let current = true;
    setGraphs(null);
    void Promise.all(
      runs.map((r) =>
        r.hasProject
          ? studio()
              .runs.project(r.runId)
              .then((text) => {
                const p = parseProject(text, 'the run\'s project');
                return p.ok ? p.project.graph : null;
              }, () => null)
          : Promise.resolve(null),
      ),
    ).then((g) => current && setGraphs(g));
    return () => {
      current = false;
    };
  }, [key]); // key stands for runs
  const diff = graphs ? graphDiffRows(graphs) : [];
  const span = runs.length + 1;
  return (
    <div className="runs__compare" data-testid="run-compare">
      <RunCompareChart runs={runs} />
      <table className="runs__settings">
        <thead>
          <tr>
            <th />
            {runs.map((r) => (
              <th key={r.runId} scope="col">
                {runTitle(r)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <Section title="Architecture" span={span} />
          <Rows rows={architectureRows(runs)} testId="compare-architecture" />
          {graphs === null ? (
            <tr>
              <td colSpan={span} className="muted">
                Reading the graphs…
              </td>
            </tr>
          ) : diff.length ? (
            <Rows rows={diff} testId="compare-node" />
          ) : (
            <tr>
              <td colSpan={span} className="muted" data-testid="compare-same-graph">
                Same graph: no node or parameter differs.
              </td>
            </tr>
          )}
          <Section title="Settings" span={span} />
          <Rows rows={settingRows(runs)} testId="compare-setting" />
          <Section title="Result" span={span} />
          <tr>
            <th scope="row">Final validation loss</th>
            {runs.map((r) => (
              <td key={r.runId}>{fmt(r.epochs.at(-1)?.valLoss)}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
