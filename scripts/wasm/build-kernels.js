#!/usr/bin/env node
/**
 * Compiles src-main/trainer/backend/native/kernels.c to WebAssembly with
 * Debian's clang and lld (`apt-get install -y clang lld`) and writes it,
 * base64-encoded with the SHA-256 of its source, to kernels-wasm.ts beside it.
 * The generated file is committed, so neither the app nor CI needs clang; a
 * test fails when kernels.c changes without a rebuild.
 *
 *   node scripts/wasm/build-kernels.js          # rebuild
 *   node scripts/wasm/build-kernels.js --check  # exit 1 if the committed build differs
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// Node 20's V8 (11.3) accepts relaxed SIMD only behind this flag; later ones ignore it.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const nativeDir = join(root, 'src-main/trainer/backend/native');
const source = join(nativeDir, 'kernels.c');
/** The dense chain's whole training step (chain.c includes kernels.c). */
const chainSource = join(nativeDir, 'chain.c');
const target = join(nativeDir, 'kernels-wasm.ts');

/** The clang invocation: SIMD on, no C library, the host's memory imported, no stack of our own. */
export const CLANG_ARGS = ['--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-fno-builtin', '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--export-dynamic', '-Wl,-z,stack-size=0', '-Wl,--strip-all'];

/** The two builds: 128-bit SIMD (every engine since 2021), and with relaxed SIMD's fused multiply-add for the GEMM. */
export const VARIANTS = { simd: [], relaxed: ['-mrelaxed-simd'] };

/**
 * The chain module's extra flags: wasm threads (atomics, a shared memory it
 * imports; at most 4 GiB, the memory's own size is set by dense-chain.ts).
 */
export const CHAIN_ARGS = ['-matomics', '-mbulk-memory', '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'];

/**
 * Clang 14 (Debian 12's) encodes the relaxed fused multiply-add with the
 * proposal's old opcode 0xfd 0xaf 0x01 (f32x4.fma, a + b·c); the standard
 * f32x4.relaxed_madd (a·b + c) is 0xfd 0x85 0x02, the same length. kernels.c
 * orders the operands for the standard meaning. Every occurrence of the old
 * bytes must be one of the instructions the disassembler lists, else the
 * build stops rather than patch a constant that happens to look alike.
 */
function toStandardRelaxedMadd(bytes, listing) {
  const instructions = listing.split('\n').filter((line) => /\bf32x4\.fma\b/.test(line)).length;
  // Clang 14's other relaxed SIMD instructions: fms, f64x2.fma, laneselect, relaxed_min/max/swizzle/trunc.
  const others = listing.split('\n').filter((line) => /\b(f32x4\.fms|f64x2\.fm[as]|\w+\.laneselect|\w+\.relaxed_\w+)\b/.test(line));
  if (others.length > 0) throw new Error(`kernels.wasm uses relaxed SIMD beyond f32x4.fma, whose opcodes this script does not translate:\n${others.slice(0, 3).join('\n')}`);
  const out = Buffer.from(bytes);
  let found = 0;
  for (let i = 0; i + 2 < out.length; i++) {
    if (out[i] === 0xfd && out[i + 1] === 0xaf && out[i + 2] === 0x01) {
      out[i + 1] = 0x85;
      out[i + 2] = 0x02;
      found++;
    }
  }
  if (found !== instructions) throw new Error(`found ${found} byte sequences of f32x4.fma but the disassembly lists ${instructions} instructions`);
  return out;
}

/** SHA-256 of both sources (kernels.c, then chain.c). */
export function sourceHash() {
  return createHash('sha256').update(readFileSync(source)).update(readFileSync(chainSource)).digest('hex');
}

/**
 * Compiles kernels.c (or, with `chain`, chain.c) as `variant` and checks the
 * module is safe to run inside a memory shared with others: TF.js's heap, or
 * the chain's memory shared by its threads.
 */
export function compile(variant = 'simd', chain = false) {
  const dir = mkdtempSync(join(tmpdir(), 'aestudio-wasm-'));
  try {
    const out = join(dir, 'kernels.wasm');
    execFileSync('clang', [...CLANG_ARGS, ...VARIANTS[variant], ...(chain ? CHAIN_ARGS : []), '-o', out, chain ? chainSource : source], { stdio: 'inherit' });
    // The listing outgrew execFileSync's default 1 MB buffer.
    const listing = execFileSync('llvm-objdump', ['-d', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const bytes = variant === 'relaxed' ? toStandardRelaxedMadd(readFileSync(out), listing) : readFileSync(out);
    const module = new WebAssembly.Module(bytes); // compiles: the relaxed build needs the V8 flag set above
    const imports = WebAssembly.Module.imports(module);
    if (imports.length !== 1 || imports[0].kind !== 'memory') throw new Error(`kernels.wasm must import only the memory, but imports ${JSON.stringify(imports)} (a C library call slipped in?)`);
    // Code that touched a global would be using the shadow stack, which lives at
    // fixed addresses of the memory — addresses that belong to TF.js's heap.
    // kernels.c has no calls at all (so no C library call can hide); chain.c calls only its own functions (the import check covers the rest).
    const offending = listing.split('\n').filter((line) => (chain ? /\bglobal\.(get|set)\b/ : /\bglobal\.(get|set)\b|\bcall\b/).test(line));
    if (offending.length > 0) throw new Error(`kernels.wasm uses globals or calls (a shadow stack?):\n${offending.slice(0, 5).join('\n')}`);
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function render(builds) {
  const constant = (name, doc, bytes) => [`/** ${doc} */`, `export const ${name} = [`, ...bytes.toString('base64').match(/.{1,100}/g).map((l) => `  '${l}',`), "].join('');", ''];
  return [
    '// Generated by scripts/wasm/build-kernels.js from kernels.c — do not edit; rebuild instead.',
    `export const KERNELS_SOURCE_SHA256 = '${sourceHash()}';`,
    '',
    ...constant('KERNELS_WASM_BASE64', 'kernels.c compiled for 128-bit SIMD, base64.', builds.simd),
    ...constant('KERNELS_RELAXED_WASM_BASE64', "kernels.c compiled with relaxed SIMD (fused multiply-add in the GEMM), base64.", builds.relaxed),
    ...constant('CHAIN_WASM_BASE64', 'chain.c (threads, shared memory) compiled for 128-bit SIMD, base64.', builds.chainSimd),
    ...constant('CHAIN_RELAXED_WASM_BASE64', 'chain.c (threads, shared memory) compiled with relaxed SIMD, base64.', builds.chainRelaxed),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = render({ simd: compile('simd'), relaxed: compile('relaxed'), chainSimd: compile('simd', true), chainRelaxed: compile('relaxed', true) });
  if (process.argv.includes('--check')) {
    const same = readFileSync(target, 'utf8') === text;
    console.log(same ? 'kernels-wasm.ts matches kernels.c' : 'kernels-wasm.ts is stale: run node scripts/wasm/build-kernels.js');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(target, text);
  console.log(`wrote ${target} (${text.length} characters)`);
}
