export const WAT: string;
export const OUT: string;
export function assemble(): Promise<Buffer>;
export function moduleText(bytes: Buffer): string;
