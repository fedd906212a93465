/** Denoising: pick a noise and a level, see clean | noised | denoised and the PSNR of each; drop your own images to clean them. */
import { useState } from 'react';
import { MAX_DROPPED_BYTES, NOISE_TYPES } from '../../src-shared/analysis/analysis-messages';
import type { NoiseType } from '../../src-shared/analysis/analysis-messages';
import { useUi } from '../state/ui-store';
import { useAnalysis, useResult } from './analysis-store';
import { ImageRows } from './ImageRows';
import { Controls, num } from './PanelParts';

export function DenoisePanel() {
  const result = useResult('denoise');
  const [type, setType] = useState<NoiseType>('gaussian');
  const [level, setLevel] = useState(0.3);
  const [dragging, setDragging] = useState(false);
  const run = (files: { name: string; bytes: Uint8Array<ArrayBuffer> }[] = []) => void useAnalysis.getState().analyze({ task: 'denoise', noise: { type, level }, files });
  const runWithFiles = async (list: FileList | null) => {
    const files = [...(list ?? [])].slice(0, 16);
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > MAX_DROPPED_BYTES) {
      useUi.getState().notify('error', `Those files are ${(total / 2 ** 20).toFixed(1)} MB together; drop at most 16 MB at a time.`);
      return;
    }
    run(await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
  };
  return (
    <div
      className={`analysis__panel dropzone${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void runWithFiles(e.dataTransfer.files);
      }}
    >
      <Controls task="denoise" onRun={() => run()}>
        <label className="field compact">
          <span className="field__label">Noise</span>
          <select aria-label="Noise" value={type} onChange={(e) => setType(e.target.value as NoiseType)}>
            {NOISE_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="field compact">
          <span className="field__label">Level {level.toFixed(2)}</span>
          <input type="range" aria-label="Noise level" min={0} max={1} step={0.05} value={level} onChange={(e) => setLevel(Number(e.target.value))} />
        </label>
        <label className="button-like" title="Or drop image files anywhere on this panel">
          Denoise my images…
          <input type="file" accept="image/*" multiple hidden aria-label="Images to denoise" onChange={(e) => void runWithFiles(e.target.files)} />
        </label>
      </Controls>
      {result ? (
        <>
          <p className="analysis__figures" data-testid="denoise-psnr">
            PSNR against the clean images, mean of {result.evaluated} held-out samples: noised <strong>{num(result.psnrNoised, 3)} dB</strong> → denoised <strong>{num(result.psnrDenoised, 3)} dB</strong>{' '}
            <span className={result.psnrDenoised > result.psnrNoised ? 'good' : 'bad'}>({result.psnrDenoised >= result.psnrNoised ? '+' : ''}{(result.psnrDenoised - result.psnrNoised).toFixed(2)} dB)</span>
          </p>
          <ImageRows rows={[{ name: 'clean', row: result.clean }, { name: 'noised', row: result.noised }, { name: 'denoised', row: result.denoised }]} testId="denoise-images" />
          {result.files.length > 0 ? (
            <div data-testid="denoise-files">
              <h3>Your images</h3>
              {result.files.map((f) => (
                <ImageRows key={f.name} rows={[{ name: 'yours', row: f.input }, { name: 'denoised', row: f.output }]} captions={[f.name]} zoom={3} />
              ))}
            </div>
          ) : null}
          {result.fileErrors.map((e) => (
            <p key={e} className="field__error">
              {e}
            </p>
          ))}
        </>
      ) : (
        <p className="placeholder">Add noise to held-out samples and see how well the autoencoder removes it. Drop image files here to denoise your own.</p>
      )}
    </div>
  );
}
