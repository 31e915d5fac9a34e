import { UserError } from './user-error.js';

const UNITS: Record<string, number> = { '': 1 << 20, K: 1 << 10, M: 1 << 20, G: 1 << 30 };

/**
 * Parses a memory size as QEMU's -m does: a number with an optional K/M/G suffix (binary units);
 * a bare number means MiB.
 */
export function parseMemorySize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?$/i.exec(text.trim());
  if (match === null) throw new UserError(`invalid memory size '${text}' (expected e.g. 128M or 1G)`);
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2]!.toUpperCase()]!);
  if (bytes < 1 << 20 || bytes % 4096 !== 0) throw new UserError(`memory size '${text}' must be at least 1M and a multiple of 4K`);
  return bytes;
}

/** Parses a positive integer option (instruction counts and the like). */
export function parsePositiveInteger(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UserError(`invalid ${what} '${text}' (expected a positive integer)`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UserError(`invalid ${what} '${text}' (expected a positive integer)`);
  return n;
}
