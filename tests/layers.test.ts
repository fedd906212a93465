/** The layer rules of ARCHITECTURE.md fire where they should and stay quiet where imports are allowed. */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JS module without type declarations
import { layerConfigs } from '../scripts/lint/layers.js';

const eslint = new ESLint({
  cwd: `${import.meta.dirname}/..`,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } }, ...layerConfigs],
});

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.message);
}

describe('import layers', () => {
  it.each([
    ['src-shared/x.ts', "import { app } from 'electron';"],
    ['src-shared/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['src-shared/x.ts', "import { useState } from 'react';"],
    ['src-shared/x.ts', "import { runCli } from '../src-main/cli/main';"],
    ['src-shared/x.ts', 'export const w = window.innerWidth;'],
    ['src-renderer/x.tsx', "import { ipcRenderer } from 'electron';"],
    ['src-renderer/x.tsx', "import { join } from 'path';"],
    ['src-renderer/x.tsx', "import { runCli } from '../src-main/cli/main';"],
    ['src-main/preload/x.ts', "import { join } from 'node:path';"],
    ['src-main/preload/x.ts', "import { bindStudioIpc } from '../electron/ipc';"],
    ['src-main/trainer/x.ts', "import { utilityProcess } from 'electron';"],
    ['src-main/trainer/x.ts', "import { TrainingService } from '../services/training-service';"],
    ['src-main/services/x.ts', "import { BrowserWindow } from 'electron';"],
    ['src-main/cli/x.ts', "import { bindStudioIpc } from '../electron/ipc';"],
    ['src-main/services/x.ts', "import sharp from 'sharp';"],
    ['src-main/electron/x.ts', "import * as tf from '@tensorflow/tfjs';"],
    ['src-main/cli/x.ts', "import { parse } from 'csv-parse/sync';"],
    ['src-main/serve/x.ts', "import { Matrix } from 'ml-matrix';"],
    ['src-main/services/x.ts', "import { loadDataset } from '../trainer/data/load-dataset';"],
    ['src-main/common/x.ts', "import { parse } from 'csv-parse/sync';"],
  ])('%s refuses: %s', async (file, code) => {
    expect(await violations(file, code)).toHaveLength(1);
  });

  it.each([
    ['src-shared/x.ts', "import { z } from 'zod';"],
    ['src-shared/x.ts', "import { compile } from './compiler/compile';"],
    ['src-renderer/x.tsx', "import { compile } from '../src-shared/compiler/compile';"],
    ['src-main/preload/x.ts', "import { contextBridge } from 'electron';"],
    ['src-main/preload/x.ts', "import { channelOf } from '../../src-shared/protocol/channels';"],
    ['src-main/trainer/x.ts', "import * as tf from '@tensorflow/tfjs';"],
    ['src-main/electron/x.ts', "import { app } from 'electron';"],
    ['src-main/cli/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['src-shared/x.test.ts', "import { readFileSync } from 'node:fs';"],
    ['src-main/services/x.ts', "import type { Matrix } from 'ml-matrix';"],
    ['src-main/services/x.ts', "export const load = async () => (await import('sharp')).default;"],
    ['src-main/cli/x.ts', "import { forkLauncher } from '../trainer/host/trainer-child';"],
    ['src-main/services/x.ts', "import type { LoadedDataset } from '../trainer/data/dataset';"],
  ])('%s allows: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
