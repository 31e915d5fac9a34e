const UNIT_BYTES = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 } as const;

/** A size as system.yaml writes it: bytes, or a whole number of binary K, M or G units. */
export const SIZE_PATTERN = /^(\d+)([KMG]?)$/;

/** Bytes of a size string that matches SIZE_PATTERN. */
export function sizeStringBytes(text: string): number {
  const [, count, unit] = SIZE_PATTERN.exec(text)!;
  return Number(count) * UNIT_BYTES[unit as keyof typeof UNIT_BYTES];
}

/** The shortest exact spelling of a size in system.yaml's units ("64K", "192M", "4097"). */
export function formatSize(bytes: number): string {
  for (const unit of ['G', 'M', 'K'] as const) {
    if (bytes !== 0 && bytes % UNIT_BYTES[unit] === 0) return `${bytes / UNIT_BYTES[unit]}${unit}`;
  }
  return `${bytes}`;
}
