/**
 * WebGPU in the trainer process: Node (and Electron's utility process) has no
 * `navigator.gpu`, so Dawn's Node binding (the `webgpu` package, prebuilt for
 * Linux, macOS and Windows inside the package) provides it, on whatever GPU
 * driver the machine has (Vulkan, Metal, Direct3D 12): no CUDA or other
 * driver stack to install. Loaded only in the trainer process, on demand.
 */

/** What the trainer needs of a WebGPU adapter's description. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** True for a software rasteriser (SwiftShader, llvmpipe, WARP): it runs on the CPU, not a GPU. */
  software: boolean;
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|warp/i;

let adapterInfo: AdapterInfo | null = null;
/** Why there is none, once asked: the answer does not change while the process lives, and each ask makes Dawn print its driver search again. */
let adapterMissing: Error | null = null;

/** The adapter the webgpu backend runs on, once it has loaded (null before). */
export function webgpuAdapter(): AdapterInfo | null {
  return adapterInfo;
}

/**
 * Makes `navigator.gpu` exist (from the webgpu package where the runtime has
 * none) and checks that an adapter is there; throws saying why not.
 */
export async function ensureWebgpuAdapter(): Promise<AdapterInfo> {
  if (adapterInfo) return adapterInfo;
  if (adapterMissing) throw adapterMissing;
  try {
    adapterInfo = await findAdapter();
    return adapterInfo;
  } catch (e) {
    adapterMissing = e as Error;
    throw e;
  }
}

async function findAdapter(): Promise<AdapterInfo> {
  const g = globalThis as { navigator?: { gpu?: GpuLike } };
  if (!g.navigator?.gpu) {
    let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
    try {
      const specifier = 'webgpu'; // optional at run time: a variable, so nothing resolves it at build time
      dawn = (await import(/* @vite-ignore */ specifier)) as typeof dawn;
    } catch (e) {
      throw new Error(`the WebGPU binding (the webgpu package) failed to load: ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
    Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUShaderStage, … that the backend reads as globals
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    Object.defineProperty(g.navigator, 'gpu', { value: dawn.create([]), configurable: true });
  }
  const adapter = await g.navigator!.gpu!.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter: no GPU with a Vulkan, Metal or Direct3D 12 driver was found (on Linux the Vulkan loader, libvulkan1, and the GPU vendor\'s Vulkan driver are needed)');
  const info = adapter.info ?? {};
  const description = info.description || info.device || '';
  return { vendor: info.vendor ?? '', architecture: info.architecture ?? '', description, software: Boolean(adapter.isFallbackAdapter) || SOFTWARE.test(`${description} ${info.vendor ?? ''}`) };
}
