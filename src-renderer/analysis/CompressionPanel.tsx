/** Compression: the code's bytes against the original's, and JPEG at the same byte budget, with PSNR and SSIM for each. */
import { useState } from 'react';
import { useAnalysis, useResult } from './analysis-store';
import { ImageRows } from './ImageRows';
import { Controls, num } from './PanelParts';

export function CompressionPanel() {
  const r = useResult('compression');
  const [budget, setBudget] = useState<'uint8' | 'float32'>('uint8');
  return (
    <div className="analysis__panel">
      <Controls task="compression" onRun={() => void useAnalysis.getState().analyze({ task: 'compression', budget })} label="Compare with JPEG">
        <label className="field compact">
          <span className="field__label">Code stored as</span>
          <select aria-label="Code stored as" value={budget} onChange={(e) => setBudget(e.target.value as 'uint8' | 'float32')}>
            <option value="uint8">8-bit values</option>
            <option value="float32">float32 values</option>
          </select>
        </label>
      </Controls>
      {r ? (
        <>
          <table className="compare" data-testid="compression-table">
            <thead>
              <tr>
                <th />
                <th>bytes per image</th>
                <th>PSNR</th>
                <th>SSIM</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>original (8-bit)</th>
                <td>{r.originalBytes}</td>
                <td>—</td>
                <td>—</td>
              </tr>
              <tr>
                <th>code, float32</th>
                <td>{r.codeBytes.float32}</td>
                <td>{num(r.scores.aeFloat.psnr, 3)} dB</td>
                <td>{num(r.scores.aeFloat.ssim, 3)}</td>
              </tr>
              <tr>
                <th>code, 8-bit</th>
                <td>{r.codeBytes.uint8}</td>
                <td>{num(r.scores.aeUint8.psnr, 3)} dB</td>
                <td>{num(r.scores.aeUint8.ssim, 3)}</td>
              </tr>
              <tr>
                <th>JPEG, budget {r.budget} B</th>
                <td>
                  {num(r.scores.jpeg.bytes, 3)} <span className="muted">({num(r.scores.jpeg.fileBytes, 3)} as a file)</span>
                </td>
                <td>{num(r.scores.jpeg.psnr, 3)} dB</td>
                <td>{num(r.scores.jpeg.ssim, 3)}</td>
              </tr>
            </tbody>
          </table>
          <p className="muted">
            JPEG at the highest quality whose image data fits the budget (mean quality {num(r.scores.jpeg.quality, 2)}); its tables and headers, shared by every image, are not counted — like the decoder's weights, which the code needs too.
            {r.overBudget > 0 ? ` ${r.overBudget} image(s) did not fit even at quality 1.` : ''} Autoencoders compress only data like what they were trained on; JPEG compresses anything.
          </p>
          <ImageRows rows={[{ name: 'original', row: r.original }, { name: 'AE float32', row: r.aeFloat }, { name: 'AE 8-bit', row: r.aeUint8 }, { name: 'JPEG', row: r.jpeg }]} testId="compression-images" />
        </>
      ) : (
        <p className="placeholder">Store images as their codes: how many bytes, and how good are they next to JPEG given the same number of bytes?</p>
      )}
    </div>
  );
}
