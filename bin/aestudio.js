#!/usr/bin/env node
// Runs the TypeScript CLI straight from the sources (tsx), so `npx aestudio`
// works in a fresh checkout without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/entry.ts');
