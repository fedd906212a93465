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
/**
 * Whether the webgpu backend can run here: the Vulkan loader and a Vulkan driver. Without a GPU the
 * tests use SwiftShader, the software Vulkan driver Debian's Chromium installs (vitest.config.ts points
 * VK_ICD_FILENAMES at it): slow, so for correctness only.
 */
export const HAS_WEBGPU =
  existsSync(join(REPO, 'node_modules/webgpu/package.json')) &&
  ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'].some((p) => existsSync(p)) &&
  (process.env.VK_ICD_FILENAMES ? existsSync(process.env.VK_ICD_FILENAMES) : existsSync('/usr/share/vulkan/icd.d'));
/** Set by .ci/run after it installed the Vulkan loader: there a webgpu that cannot run is a failure, not a reason to skip. */
export const WEBGPU_REQUIRED = process.env.AESTUDIO_REQUIRE_WEBGPU === '1';
/** The backends compared against the cpu backend: wasm always, node and webgpu where they run. */
export const BACKENDS_UNDER_TEST: readonly ('wasm' | 'node' | 'webgpu')[] = ['wasm', ...(HAS_TFJS_NODE ? (['node'] as const) : []), ...(HAS_WEBGPU ? (['webgpu'] as const) : [])];
