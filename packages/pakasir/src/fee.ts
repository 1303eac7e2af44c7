export interface QrisFeeRate {
  /** Percent of the amount, e.g. 0.7 for 0.7%. At most two decimals (whole basis points). */
  percent?: number;
  /** Fixed part in rupiah. */
  fixed?: number;
}

/**
 * What Pakasir adds to a QRIS payment: floor(amount × percent / 100) + fixed (FEATURES.md §6; Rp30.000 →
 * fee 520 → the customer pays 30.520). Worked in whole basis points and BigInt so 0.7% never becomes
 * 0.007000000000000001 and a big amount never loses digits.
 */
export function qrisFee(amount: number, { percent = 0.7, fixed = 310 }: QrisFeeRate = {}): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`qrisFee: amount must be a whole, non-negative rupiah amount, got ${amount}`);
  }
  if (!Number.isSafeInteger(fixed) || fixed < 0) {
    throw new RangeError(`qrisFee: fixed must be a whole, non-negative rupiah amount, got ${fixed}`);
  }
  const basisPoints = Math.round(percent * 100);
  if (basisPoints < 0 || Math.abs(basisPoints - percent * 100) > 1e-6) {
    throw new RangeError(`qrisFee: percent must be non-negative with at most two decimals, got ${percent}`);
  }
  // BigInt division truncates, which is floor for non-negative numbers.
  return Number((BigInt(amount) * BigInt(basisPoints)) / 10_000n) + fixed;
}
