import { z } from 'zod';

/** Money is whole rupiah everywhere (FEATURES.md §4): a safe integer, never a float. */
export const rupiah = z.number().int().safe();
export const positiveRupiah = rupiah.positive();

/** "Rp30.520": the Indonesian thousands separator is a dot. */
export function formatRupiah(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}Rp${digits}`;
}
