/**
 * A stand-in trainer process whose answers fail validation, as a trainer
 * once did on broken weights (NaN where a number belongs): it answers
 * evaluate with NaN losses, analyze with a result of no known task, and a
 * started run with a progress event whose loss is NaN; after stop it sends
 * the run's `done`, which the service must not pass on. With
 * AES_INVALID_READY set, its `ready` is invalid too.
 */
type Command = { type: string; requestId?: string; runId?: string };

const send = (m: unknown) => process.send!(m);
process.on('message', (raw) => {
  const cmd = raw as Command;
  if (cmd.type === 'evaluate') send({ type: 'evaluated', requestId: cmd.requestId, count: 10, mse: NaN, bce: NaN });
  else if (cmd.type === 'analyze') send({ type: 'analyzed', requestId: cmd.requestId, result: { task: 'astrology' } });
  else if (cmd.type === 'start') send({ type: 'progress', runId: cmd.runId, epoch: 1, epochs: 1, batch: 1, batches: 1, loss: NaN, samplesPerSec: 1, etaSeconds: 0 });
  else if (cmd.type === 'stop') send({ type: 'done', runId: cmd.runId, status: 'stopped', epochs: [], files: [] });
});
// AES_INVALID_READY: even the first message is invalid.
send({ type: 'ready', pid: process.env.AES_INVALID_READY ? 'soon' : process.pid });
