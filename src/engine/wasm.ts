// WebAssembly modules shipped as base64 text (the bundle, tsc and the test runner load them without a
// file beside them), compiled once per thread on first use. Where a module does not compile (no
// WebAssembly under `node --jitless`, no SIMD in an old engine) its user does the work in JavaScript,
// or for SHA-256 in node:crypto.

/** The little of the WebAssembly API used here (the project's type libraries leave it out). */
interface Wasm {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { exports: unknown };
}
type WasmModule = { readonly compiled: unique symbol };

/** What every module here exports: its memory. */
export interface WasmMemory {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
}

export const WASM_PAGE = 65536;

const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;

/**
 * A maker of instances of the module in `base64`, each with its own memory; it returns undefined
 * where the module does not compile. Compiled on the first call, once.
 */
export function wasmInstances<E extends WasmMemory>(base64: string): () => E | undefined {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = wasm ? new wasm.Module(Buffer.from(base64, 'base64')) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled ? (new wasm!.Instance(compiled).exports as E) : undefined;
  };
}

/**
 * This thread's one instance of the module in `base64`, made ready by `ready` (views of its memory,
 * tables written into it) on first use; null where the module does not compile.
 */
export function wasmInstance<E extends WasmMemory, T>(base64: string, ready: (exports: E) => T): () => T | null {
  let made: T | null | undefined;
  return () => {
    if (made === undefined) {
      const exports = wasmInstances<E>(base64)();
      made = exports ? ready(exports) : null;
    }
    return made;
  };
}
