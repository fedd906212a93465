/**
 * A variational autoencoder's objective per epoch: the reconstruction and KL
 * terms separately, the β the epoch weighted KL with, and their sum, the
 * negative ELBO. Shown only for a run whose epochs carry them (a VAE's).
 */
import { useTraining } from '../state/training-store';

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(2));

export function VaeTerms() {
  const epochs = useTraining((s) => s.epochs);
  const rows = epochs.flatMap((m) => (m.vae ? [{ epoch: m.epoch, reconstruction: m.trainLoss, valReconstruction: m.valLoss, ...m.vae }] : []));
  if (rows.length === 0) return null;
  return (
    <div className="vae-terms" data-testid="vae-terms">
      <table>
        <caption>Negative ELBO = reconstruction + KL (per sample; training draws z = μ + σ·ε)</caption>
        <thead>
          <tr>
            <th scope="col">epoch</th>
            <th scope="col">reconstruction</th>
            <th scope="col">KL</th>
            <th scope="col">β</th>
            <th scope="col">−ELBO</th>
            <th scope="col" title="Reconstruction of the validation samples through z = μ">validation recon.</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.epoch} data-testid="vae-terms-row">
              <td>{r.epoch}</td>
              <td>{fmt(r.reconstruction)}</td>
              <td>{fmt(r.kl)}</td>
              <td>{r.beta.toPrecision(3)}</td>
              <td>{fmt(r.negativeElbo)}</td>
              <td>{fmt(r.valReconstruction)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
