import { describe, expect, it } from 'vitest';
import { nativeLogFilter } from './native-log';

/** What tfjs-node built against TensorFlow 2.21 writes to stderr when it loads (copied from a real trainer's stderr). */
const TF_BANNER = [
  'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR',
  'I0000 00:00:1796019273.543501   16707 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results due to floating-point round-off errors from different computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.',
  'I0000 00:00:1796019273.620255   16707 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.',
  'To enable the following instructions: AVX2 AVX512F AVX512_VNNI AVX512_BF16 FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.',
  // Dawn's Vulkan probe where there is no GPU driver (copied from a real trainer's stderr).
  'Warning: vkCreateInstance: Found no drivers!',
  'Warning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER',
  '    at CheckVkSuccessImpl (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/VulkanError.cpp:106)',
].join('\n');

describe('the trainer stderr filter', () => {
  it("drops TensorFlow's load-time info lines and Dawn's driver search, even split across chunks, and passes everything else whole", () => {
    const out: string[] = [];
    const f = nativeLogFilter((t) => out.push(t));
    const text = `${TF_BANNER}\nError: something we must see\nW0000 00:00:1.0 1 a.cc:1] a real warning\n    at stack line\n`;
    for (let i = 0; i < text.length; i += 37) f.push(text.slice(i, i + 37));
    f.push('last words without newline');
    f.end();
    expect(out.join('')).toBe('Error: something we must see\nW0000 00:00:1.0 1 a.cc:1] a real warning\n    at stack line\nlast words without newline');
  });
});
