/** A range of physical addresses [base, base + size). */
export interface AddressRange {
  readonly base: number;
  readonly size: number;
}

export const rangesOverlap = (a: AddressRange, b: AddressRange): boolean => a.base < b.base + b.size && b.base < a.base + a.size;

export const rangeContains = (outer: AddressRange, inner: AddressRange): boolean =>
  inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;

export const formatAddress = (address: number): string => `0x${address.toString(16).padStart(8, '0')}`;

/** Inclusive bounds, as memory maps are usually written: 0x40000000-0x4bffffff. */
export const formatRange = (range: AddressRange): string => `${formatAddress(range.base)}-${formatAddress(range.base + range.size - 1)}`;
