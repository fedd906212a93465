/**
 * The latent explorer: click two samples to see the decoded path between
 * their codes; move sliders (one per code value for codes up to 16 values,
 * else along the codes' first principal directions) and watch the decoder's
 * output change. Decoding is one request in flight at a time, latest wins.
 */
import { useEffect, useRef, useState } from 'react';
import type { AnalysisResultOf, ImageRow } from '../../src-shared/analysis/analysis-messages';
import { studio } from '../studio/studio';
import { useUi } from '../state/ui-store';
import { useAnalysis, useResult } from './analysis-store';
import { ImageRows } from './ImageRows';
import { Controls, num } from './PanelParts';

type Axes = AnalysisResultOf<'latent'>['axes'];

/** Slider positions of a code: its coordinates along each axis. */
export function positionsOf(axes: Axes, code: Float32Array): number[] {
  const dim = axes.origin.length;
  return Array.from(axes.min, (_, j) => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += axes.basis[j * dim + i] * (code[i] - axes.origin[i]);
    return s;
  });
}

/** The code at slider positions: origin + Σ position × axis. */
export function codeAt(axes: Axes, positions: readonly number[]): Float32Array<ArrayBuffer> {
  const dim = axes.origin.length;
  const code = Float32Array.from(axes.origin);
  positions.forEach((p, j) => {
    for (let i = 0; i < dim; i++) code[i] += p * axes.basis[j * dim + i];
  });
  return code;
}

export function LatentPanel() {
  const r = useResult('latent');
  const runId = useAnalysis((s) => s.run?.runId);
  const [pick, setPick] = useState<'from' | 'to'>('to');
  const [positions, setPositions] = useState<number[]>([]);
  const [decoded, setDecoded] = useState<ImageRow | null>(null);
  const inFlight = useRef(false);
  const queued = useRef<number[] | null>(null);
  const explore = (from: number, to: number) => void useAnalysis.getState().analyze({ task: 'latent', from, to, steps: 8, count: 16 });

  useEffect(() => {
    if (!r) return;
    setPositions(positionsOf(r.axes, r.codes.subarray(r.from * r.codeSize, (r.from + 1) * r.codeSize)));
  }, [r]);

  const decode = (pos: number[]) => {
    if (!r || !runId) return;
    if (inFlight.current) {
      queued.current = pos;
      return;
    }
    inFlight.current = true;
    studio()
      .runs.decode(runId, { codes: codeAt(r.axes, pos), count: 1 })
      .then(setDecoded, (e: Error) => useUi.getState().notify('error', e.message))
      .finally(() => {
        inFlight.current = false;
        const next = queued.current;
        queued.current = null;
        if (next) decode(next);
      });
  };
  // Decode whenever the positions change (decode itself reads the latest result).
  useEffect(() => {
    if (positions.length > 0) decode(positions);
  }, [positions]);

  return (
    <div className="analysis__panel">
      <Controls task="latent" onRun={() => explore(r?.from ?? 0, r?.to ?? 1)} label={r ? 'Refresh' : 'Explore the code space'} />
      {r ? (
        <>
          <p className="muted">
            Code of {r.codeShape.join('×')} = {r.codeSize} values. Click a sample to make it the path's {pick === 'from' ? 'start' : 'end'} (now #{r.from} → #{r.to}).
          </p>
          <ImageRows
            rows={[{ name: 'samples', row: r.samples }]}
            testId="latent-samples"
            captions={r.labels ? [Array.from(r.labels).join(' ')] : undefined}
            onPick={(i) => {
              if (i >= r.samples.count) return;
              const [from, to] = pick === 'from' ? [i, r.to] : [r.from, i];
              setPick(pick === 'from' ? 'to' : 'from');
              if (from !== to) explore(from, to);
            }}
          />
          <ImageRows rows={[{ name: 'path', row: r.interpolation }]} testId="latent-path" captions={[`decoded codes from #${r.from} to #${r.to}, ${r.interpolation.count} steps`]} zoom={3} />
          <h3>{r.axes.kind === 'code' ? 'Code values' : `The ${r.axes.min.length} main directions of the codes (the code has more than 16 values)`}</h3>
          <div className="latent-explorer">
            <div className="latent-explorer__sliders" data-testid="latent-sliders">
              {positions.map((v, j) => {
                const lo = r.axes.min[j];
                const hi = r.axes.max[j];
                const pad = (hi - lo) * 0.25 || 1;
                return (
                  <label key={j} className="field compact">
                    <span className="field__label">
                      {r.axes.kind === 'code' ? `z${j}` : `PC${j + 1}`} {num(v, 3)}
                    </span>
                    <input type="range" aria-label={`Latent axis ${j + 1}`} min={lo - pad} max={hi + pad} step={(hi - lo + 2 * pad) / 200} value={v} onChange={(e) => setPositions(positions.map((p, k) => (k === j ? Number(e.target.value) : p)))} />
                  </label>
                );
              })}
            </div>
            {decoded ? <ImageRows rows={[{ name: 'decoded', row: decoded }]} zoom={6} testId="latent-decoded" /> : null}
          </div>
        </>
      ) : (
        <p className="placeholder">Walk the code space: decode the path between two samples, and move along the code's axes to see what each one changes.</p>
      )}
    </div>
  );
}
