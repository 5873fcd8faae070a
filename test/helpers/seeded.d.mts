export function rng(seed: number): () => number;
export function randomString(next: () => number, length: number, alphabet: string): string;
