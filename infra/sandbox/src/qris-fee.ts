/** What the sandbox charges on a QRIS payment of `amount`. */
export type SandboxQrisFee = (amount: number) => number;

/**
 * Pakasir's tiered QRIS fee as the sandbox charges it: 0.7% + Rp310 up to Rp105.000, 1% above, rounded
 * half up. Written here on purpose and never imported from the product's quote model
 * (@quickcart/pakasir's qrisFee): if the two drift apart, tests see the QR ask for another total.
 */
export const pakasirTieredFee: SandboxQrisFee = (amount) =>
  // Math.round rounds .5 up for positive numbers; amount × 7 / 1000 is exact at every .5.
  amount > 105_000 ? Math.round(amount / 100) : Math.round((amount * 7) / 1000) + 310;

/** Pakasir refuses QRIS payments below this (a 400, see api-routes.ts). */
export const SANDBOX_QRIS_MINIMUM = 500;
