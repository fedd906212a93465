/**
 * The `aestudio` command line: the app's engine without a window, for
 * scripts, CI and machines without a display.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { ANALYSIS_TASKS } from '../../src-shared/analysis/analysis-messages';
import { EXPORT_FORMATS, EXPORT_FORMAT_TABLE } from '../../src-shared/export/export-formats';
import { BACKENDS } from '../../src-shared/protocol/trainer-messages';
import type { BackendName } from '../../src-shared/protocol/trainer-messages';
import { BUILTIN_DATASETS } from '../../src-shared/datasets/builtin';
import { importFormatsHelp } from '../../src-shared/datasets/import-formats';
import { parseLabelList } from '../../src-shared/datasets/label-list';
import { analyzeCommand, buildAnalysisRequests } from './analyze-command';
import { compileCommand } from './compile-command';
import { datasetFromArg, evaluateCommand } from './evaluate-command';
import { exportCommand, parseFormats } from './export-command';
import { processIo, terminalSafe } from './io';
import type { CliIo } from './io';
import { nearest } from './suggest';
import { trainCommand } from './train-command';
import { SETTING_FLAG_OPTIONS, settingOverrides } from './setting-flags';
import { trainingFlagsHelp } from '../../src-shared/project/training-fields';
import { packageVersion } from './version';

/** The commands, as the dispatcher below handles them (a case outside this list does not compile). */
const COMMANDS = ['compile', 'train', 'export', 'analyze', 'evaluate'] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = `Usage: aestudio <command> [options]

Commands:
  compile FILE     Compile a project file (.aestudio); print its model spec as JSON,
                   or its diagnostics and exit 1.
  train FILE       Train a project on its dataset and write metrics.json, the model
                   (model.json + weights.bin) and reconstructions.png to a folder.
                   The folder is written as the run goes (a checkpoint each epoch).
  train --resume RUN_DIR
                   Continue a stopped, failed or interrupted run from its last
                   checkpoint for its remaining epochs (--epochs N: up to N).
  train --resume RUN_DIR --more-epochs N
                   Continue a run (finished, stopped early, stopped or failed) from
                   its last checkpoint for N more epochs.

  export RUN_DIR   Write a finished run (a folder written by train) in other formats:
${EXPORT_FORMATS.map((f) => `                     ${f.padEnd(20)}${EXPORT_FORMAT_TABLE[f].help}\n${' '.repeat(41)}${EXPORT_FORMAT_TABLE[f].files.join(', ')}\n`).join('')}
  analyze RUN_DIR  What the trained autoencoder is good for, written as JSON + PNG:
                   --task ${ANALYSIS_TASKS.join(' | ')}
                   (comma-separated, or all).

  evaluate MODEL_DIR
                   Reconstruction losses (MSE, BCE) of a saved autoencoder (a run
                   folder or a TF.js export) on a dataset; prints JSON.

Options of train:
  --epochs N       Epochs (default: the project's setting).
  --backend NAME   node, wasm or cpu (default: the best that loads).
  --out DIR        Output folder (default: runs/<project>-<time>).
  --seed N         Seed for initialisation, split and shuffling (default: the project's).
  --max-samples N  Use only N samples of the dataset (quick runs).
  --weights DIR    Start from the weights of a run folder or TF.js export of the same graph.
  --dataset NAME   With --resume: the data the run trained on, when its record names a
                   file outside the run folder.
  --labels LIST    Train only on samples with these labels, e.g. 0-8 (anomaly detection:
                   train on the normal classes, then analyze --task anomaly).
  --threads N      Split each batch across N threads (1-16; default: as many as the
                   model's arithmetic pays for, up to the cores).
  --pretrain N     Layer-wise pretraining: N epochs for each mirrored pair of encoder and
                   decoder layers, outermost first, before --epochs of fine-tuning
                   (0: off; default: the project's setting).
  --more-epochs N  With --resume: train N epochs after the run's last checkpoint.
Training settings (override the project's; the same fields as the app's form):
${trainingFlagsHelp('  ')}
Options of analyze:
  --task LIST      The analyses to run (required).
  --out DIR        Output folder (default: RUN_DIR/analysis).
  --dataset NAME   anomaly, features: the data to score or encode (default: the run's).
  --anomalous LIST anomaly: labels that count as anomalies (default: those the run left out).
  --noise T:LEVEL  denoise: gaussian, salt-pepper or masking, and a level in [0, 1]
                   (default gaussian:0.3).
  --files LIST     denoise: comma-separated image files to denoise as well.
  --budget B       compression: JPEG's byte budget is the code as uint8 (default) or float32.

Options of evaluate:
  --dataset NAME   ${BUILTIN_DATASETS.map((d) => d.id).join(', ')}, or a file or folder in an import
                   format below (default: mnist).

Options of export:
  --format LIST    Comma-separated formats, or all (default: all).
  --out DIR        Output folder (default: RUN_DIR/export).

  -h, --help       Show this help.
  --version        Print the version.

Import formats (--dataset, and a project's datasetImport), chosen by extension:
${importFormatsHelp('  ')}
`;

/** Every option of every command (parseArgs' table; unknown-option suggestions read it too). */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  epochs: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  seed: { type: 'string' },
  'max-samples': { type: 'string' },
  threads: { type: 'string' },
  pretrain: { type: 'string' },
  'more-epochs': { type: 'string' },
  format: { type: 'string' },
  weights: { type: 'string' },
  resume: { type: 'string' },
  dataset: { type: 'string' },
  labels: { type: 'string' },
  task: { type: 'string' },
  anomalous: { type: 'string' },
  noise: { type: 'string' },
  files: { type: 'string' },
  budget: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Runs the CLI with the given arguments (without node and the script path); resolves to the exit code. */
export async function runCli(argv: string[], rawIo: CliIo = processIo): Promise<number> {
  // Every command prints names, labels and messages that come from files: one filter for all of them.
  const io = terminalSafe(rawIo);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      // The settings' flags come from the field table; their values are read by settingOverrides.
      options: { ...OPTIONS, ...SETTING_FLAG_OPTIONS } as typeof OPTIONS,
    });
  } catch (e) {
    io.err(`${parseError(e as Error & { code?: string })}\n`);
    return 2;
  }
  if (parsed.values.version) {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    // Asked-for help is output (pipe it to less); help instead of a command is a complaint.
    (parsed.values.help ? io.out : io.err)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  switch (command as Command) {
    case 'compile':
      if (rest.length !== 1) {
        io.err(`compile takes one project file.\n\n${USAGE}`);
        return 2;
      }
      return compileCommand(rest[0], io);
    case 'train': {
      if (rest.length !== (parsed.values.resume !== undefined ? 0 : 1)) {
        io.err(`train takes one project file, or --resume RUN_DIR without one.\n\n${USAGE}`);
        return 2;
      }
      const v = parsed.values;
      const ints: Record<string, number | undefined> = {};
      for (const name of ['epochs', 'seed', 'max-samples', 'threads', 'pretrain', 'more-epochs'] as const) {
        if (v[name] === undefined) continue;
        const n = Number(v[name]);
        const zeroOk = name === 'seed' || name === 'pretrain';
        if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) {
          io.err(`--${name} must be a whole number${zeroOk ? '' : ' of at least 1'}, not "${v[name]}".\n`);
          return 2;
        }
        if (name === 'threads' && n > 16) {
          io.err(`--threads must be at most 16, not ${n}.\n`);
          return 2;
        }
        ints[name] = n;
      }
      if (v.backend !== undefined && !(BACKENDS as readonly string[]).includes(v.backend)) {
        io.err(`--backend must be one of ${BACKENDS.join(', ')}, not "${v.backend}".\n`);
        return 2;
      }
      let labels: number[] | undefined;
      if (v.labels !== undefined) {
        const parsedLabels = parseLabelList(v.labels);
        if (!parsedLabels.ok) {
          io.err(`--labels: ${parsedLabels.error}\n`);
          return 2;
        }
        labels = parsedLabels.labels;
      }
      if (ints['more-epochs'] !== undefined && v.resume === undefined) {
        io.err('--more-epochs continues a run: give it with --resume RUN_DIR (for a project file, use --epochs).\n');
        return 2;
      }
      const settingFlags = settingOverrides(v as Record<string, unknown>);
      if (!settingFlags.ok) {
        io.err(`${settingFlags.error}\n`);
        return 2;
      }
      return trainCommand({ settings: settingFlags.overrides, moreEpochs: ints['more-epochs'], labels, file: rest[0], resume: v.resume, dataset: v.resume !== undefined ? v.dataset : undefined, epochs: ints.epochs, seed: ints.seed, maxSamples: ints['max-samples'], threads: ints.threads, pretrain: ints.pretrain, backend: v.backend as BackendName | undefined, out: v.out, weights: v.weights }, io, process.stderr.isTTY);
    }
    case 'analyze': {
      if (rest.length !== 1) {
        io.err(`analyze takes one run folder.\n\n${USAGE}`);
        return 2;
      }
      const built = buildAnalysisRequests(parsed.values);
      if (!built.ok) {
        io.err(`${built.error}\n`);
        return 2;
      }
      return analyzeCommand(rest[0], built.requests, parsed.values.out, io, parsed.values.dataset);
    }
    case 'evaluate': {
      if (rest.length !== 1) {
        io.err(`evaluate takes one model folder.\n\n${USAGE}`);
        return 2;
      }
      const name = parsed.values.dataset ?? 'mnist';
      const dataset = datasetFromArg(name);
      if (!dataset.ok) {
        io.err(`${dataset.error}\n`);
        return 2;
      }
      return evaluateCommand(rest[0], name, dataset.ref, io);
    }
    case 'export': {
      if (rest.length !== 1) {
        io.err(`export takes one run folder.\n\n${USAGE}`);
        return 2;
      }
      const formats = parseFormats(parsed.values.format);
      if (!formats) {
        io.err(`--format must be all or a comma-separated list of ${EXPORT_FORMATS.join(', ')}, not "${parsed.values.format}".\n`);
        return 2;
      }
      return exportCommand(rest[0], formats, parsed.values.out, io, parsed.values.dataset);
    }
    default: {
      const guess = nearest(command, COMMANDS);
      io.err(`Unknown command "${command}".${guess ? ` Did you mean ${guess}?` : ''} The commands are ${COMMANDS.join(', ')}; aestudio --help describes them.\n`);
      return 2;
    }
  }
}

/** parseArgs' complaint as a sentence that names the option and, for a typo, the option meant. */
function parseError(e: Error & { code?: string }): string {
  const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(e.message)?.[1] : undefined;
  if (!unknown) return `${e.message}\n\n${USAGE}`;
  const known = Object.entries({ ...OPTIONS, ...SETTING_FLAG_OPTIONS }).flatMap(([name, o]) => [`--${name}`, ...('short' in o ? [`-${o.short}`] : [])]);
  const guess = nearest(unknown, known);
  return `Unknown option "${unknown}".${guess ? ` Did you mean ${guess}?` : ''} aestudio --help lists the options.`;
}
