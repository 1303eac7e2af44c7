import { z } from 'zod';

/** Money is whole rupiah everywhere (docs/features.md §4): a safe integer, never a float. */
export const rupiah = z.number().int().safe();
export const positiveRupiah = rupiah.positive();

/** "Rp30.520": the Indonesian thousands separator is a dot. */
export function formatRupiah(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}Rp${digits}`;
}

/**
 * Rupiah as a person types it: "50000", "50.000", "Rp50.000", "Rp 50.000" (any case, spaces around or
 * between). Undefined when what is left is not 1 to `maxDigits` digits: each caller keeps its own bound
 * (a deposit stops at 9 digits, an admin's price at 12), the range rule stays with the contract.
 */
export function parseRupiah(typed: string, maxDigits: number): number | undefined {
  const digits = typed.replace(/rp/gi, '').replace(/[.\s]/g, '');
  return digits.length >= 1 && digits.length <= maxDigits && /^\d+$/.test(digits)
    ? Number(digits)
    : undefined;
}
