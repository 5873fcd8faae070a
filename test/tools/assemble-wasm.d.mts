export interface WasmModuleFiles {
  wat: string;
  out: string;
  name: string;
}
export const MODULES: WasmModuleFiles[];
export function assemble(wat: string): Promise<Buffer>;
export function moduleText(m: WasmModuleFiles, bytes: Buffer): string;
