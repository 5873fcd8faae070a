// Times as UTC ISO strings, whatever unit the format stores.

/** ISO time of epoch seconds; undefined for missing or absurd values. */
export function isoFromEpoch(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999 ? undefined : d.toISOString();
}

export type TimeUnit = 's' | 'ms' | 'ns';

export function isoFromUnit(value: unknown, unit: TimeUnit): string | undefined {
  const n =
    typeof value === 'bigint'
      ? Number(value)
      : typeof value === 'number'
        ? value
        : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : NaN;
  if (!Number.isFinite(n)) return typeof value === 'string' && value !== '' ? value : undefined;
  return isoFromEpoch(unit === 's' ? n : unit === 'ms' ? n / 1e3 : n / 1e9);
}

/** Digits at buf[from, to) as a number, or undefined when there are none or something else. */
export function digitsAt(buf: Buffer, from: number, to: number): number | undefined {
  if (from >= to) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b < 48 || b > 57) return undefined;
    n = n * 10 + (b - 48);
  }
  return n;
}
