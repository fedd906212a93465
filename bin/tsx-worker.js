// Worker threads do not inherit tsx's loader. From a checkout (tests, the CLI,
// browser mode) the trainer starts its helper threads here: this registers
// tsx, then loads the TypeScript entry named in workerData. Built apps start
// the bundled helpers (out/main/gradient-helper.js, dense-chain-worker.js, measure-worker.js) and never load this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
