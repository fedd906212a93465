/**
 * Whether tfjs-node is there for the backend tests (scripts/tfjs-node/build-binding.sh builds
 * its binding where the package's own download of libtensorflow fails, as on the machines here).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '../..');

/** The binding the package loads (binary.module_path in its package.json, N-API 8). */
export const TFJS_NODE_BINDING = join(REPO, 'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node');
/** Whether the binding is built; the node-backend tests skip without it. */
export const HAS_TFJS_NODE = existsSync(TFJS_NODE_BINDING);
/** Set by .ci/run after it built the binding: there a missing tfjs-node is a failure, not a reason to skip. */
export const TFJS_NODE_REQUIRED = process.env.AESTUDIO_REQUIRE_TFJS_NODE === '1';
/** The backends compared against the cpu backend: wasm always, node where it is built. */
export const BACKENDS_UNDER_TEST = HAS_TFJS_NODE ? (['wasm', 'node'] as const) : (['wasm'] as const);
