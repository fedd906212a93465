/** Validation (or training) loss per epoch of several runs, overlaid. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { LABEL_PALETTE as LABEL_COLORS } from '../../src-shared/analysis/palette';
import { runTitle } from './run-actions';

export function RunCompareChart({ runs }: { runs: RunSummary[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const epochs = Math.max(1, ...runs.map((r) => r.epochs.length));
    const xs = Array.from({ length: epochs }, (_, i) => i + 1);
    const data: uPlot.AlignedData = [xs, ...runs.map((r) => xs.map((x) => r.epochs[x - 1]?.valLoss ?? r.epochs[x - 1]?.trainLoss ?? null))];
    const plot = new uPlot(
      {
        width: 440,
        height: 180,
        legend: { live: false },
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [
          { label: 'epoch', stroke: '#9aa0ab', grid: { stroke: '#2e323c' } },
          { label: runs.some((r) => r.epochs.some((e) => e.valLoss !== null)) ? 'validation loss' : 'training loss', stroke: '#9aa0ab', grid: { stroke: '#2e323c' }, size: 60 },
        ],
        series: [{}, ...runs.map((r, i) => ({ label: runTitle(r), stroke: LABEL_COLORS[i % LABEL_COLORS.length], width: 2, spanGaps: true }))],
      },
      data,
      host.current,
    );
    return () => plot.destroy();
  }, [runs]);
  return <div data-testid="run-compare-chart" data-series={runs.length} ref={host} />;
}
