/**
 * The losses in uPlot (a canvas chart made for streaming data), sized to its
 * pane: epochs on x, loss on y (log or linear), every term of the objective as
 * its own series. Drag across the plot to zoom into epochs, double-click to see
 * them all; the legend shows the values under the cursor.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTraining } from '../state/training-store';
import { lossColumns, lossSeries } from './loss-series';

const AXIS = { stroke: '#b4bac4', grid: { stroke: '#2e323c' }, ticks: { stroke: '#2e323c' }, font: '12px system-ui, sans-serif', labelFont: '13px system-ui, sans-serif' };
// uPlot draws axis labels on its canvas; the host carries them too, for tests and assistive technology.
const X_LABEL = 'epoch';
const yLabel = (log: boolean) => (log ? 'loss (log scale)' : 'loss');
const fmt = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : v.toPrecision(4));

export function LossChart({ height = 280 }: { height?: number }) {
  const batchLoss = useTraining((s) => s.batchLoss);
  const epochs = useTraining((s) => s.epochs);
  const [log, setLog] = useState(true);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const series = useMemo(() => lossSeries(epochs), [epochs]);
  // The chart is rebuilt only when its set of series or its scale changes; data alone goes through setData.
  const seriesKey = series.map((s) => s.key).join('|');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      scales: { x: { time: false }, y: { distr: log ? 3 : 1 } }, // log by default: losses fall by orders of magnitude
      legend: { live: true },
      cursor: { drag: { x: true, y: false, setScale: true } },
      axes: [
        { ...AXIS, label: X_LABEL, labelSize: 22 },
        { ...AXIS, label: yLabel(log), labelSize: 22, size: 64 },
      ],
      series: [
        { label: 'epoch', value: (_u, v) => (v === null || v === undefined ? '—' : v.toFixed(2)) },
        ...series.map((s) => ({ label: s.label, stroke: s.colour, width: s.perBatch ? 1 : 2, spanGaps: true, value: fmt, points: { show: !s.perBatch } })),
      ],
    };
    const state = useTraining.getState();
    const p = new uPlot(opts, lossColumns(series, state.batchLoss, state.epochs, log) as uPlot.AlignedData, el);
    plot.current = p;
    // The pane's width changes with the window and the splitter: follow it.
    const ro = new ResizeObserver(() => p.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
    // seriesKey stands for series: rebuild on a new set of lines, not on every epoch.
  }, [seriesKey, log, height]);

  useEffect(() => {
    plot.current?.setData(lossColumns(series, batchLoss, epochs, log) as uPlot.AlignedData);
  }, [series, batchLoss, epochs, log]);

  return (
    <figure className="loss-chart-box">
      <div className="chart-tools">
        <span className="chart-tools__title">Loss</span>
        <div role="radiogroup" aria-label="Loss axis scale" className="segmented">
          <button type="button" role="radio" aria-checked={log} onClick={() => setLog(true)} data-testid="loss-scale-log">
            log
          </button>
          <button type="button" role="radio" aria-checked={!log} onClick={() => setLog(false)} data-testid="loss-scale-linear">
            linear
          </button>
        </div>
        <span className="muted">drag to zoom · double-click to reset</span>
      </div>
      <div className="loss-chart" data-testid="loss-chart" data-points={batchLoss.length} data-scale={log ? 'log' : 'linear'} data-x-label={X_LABEL} data-y-label={yLabel(log)} ref={host} />
    </figure>
  );
}
