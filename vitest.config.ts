import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Without a GPU driver of its own, the webgpu backend tests run on SwiftShader, the software Vulkan
 * driver Debian's Chromium installs (tests/helpers/tfjs-node.ts says when they run).
 */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const vulkanEnv = !process.env.VK_ICD_FILENAMES && !existsSync('/usr/share/vulkan/icd.d') && existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {};

export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    env: vulkanEnv,
  },
});
