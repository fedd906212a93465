/** Train and validation loss per epoch, and the running batch loss, in uPlot (a canvas chart made for streaming data). */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTraining } from '../state/training-store';

function chartData(batchLoss: [number, number][], epochs: { epoch: number; trainLoss: number; valLoss: number | null }[]): uPlot.AlignedData {
  const xs = [...new Set([...batchLoss.map(([x]) => x), ...epochs.map((e) => e.epoch)])].sort((a, b) => a - b);
  const batch = new Map(batchLoss);
  const train = new Map(epochs.map((e) => [e.epoch, e.trainLoss]));
  const val = new Map(epochs.map((e) => [e.epoch, e.valLoss]));
  return [xs, xs.map((x) => batch.get(x) ?? null), xs.map((x) => train.get(x) ?? null), xs.map((x) => val.get(x) ?? null)];
}

export function LossChart() {
  const batchLoss = useTraining((s) => s.batchLoss);
  const epochs = useTraining((s) => s.epochs);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const opts: uPlot.Options = {
      width: 440,
      height: 200,
      scales: { x: { time: false }, y: { distr: 3 } }, // log scale: losses fall by orders of magnitude
      legend: { live: false },
      axes: [
        { label: 'epoch', stroke: '#9aa0ab', grid: { stroke: '#2e323c' } },
        { stroke: '#9aa0ab', grid: { stroke: '#2e323c' }, size: 60 },
      ],
      series: [
        {},
        { label: 'batch (running)', stroke: '#6b7280', width: 1, spanGaps: true, points: { show: false } },
        { label: 'train', stroke: '#3f83f8', width: 2, spanGaps: true },
        { label: 'validation', stroke: '#f28e2b', width: 2, spanGaps: true },
      ],
    };
    plot.current = new uPlot(opts, chartData([], []), host.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(chartData(batchLoss, epochs));
  }, [batchLoss, epochs]);

  return <div className="loss-chart" data-testid="loss-chart" data-points={batchLoss.length} ref={host} />;
}
