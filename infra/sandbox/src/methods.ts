import { pakasirTieredFee } from './qris-fee';

/**
 * The methods the sandbox's pay page offers when the link has no `qris_only` (docs/features.md §6.1): the
 * codes Pakasir documents (pakasir.com/p/docs, "Available Payment Methods") and the fee each adds. Pakasir
 * publishes no per-method fee in its API docs; these are the ones its SDKs agree on (Rp3.500 a virtual
 * account, Rp2.000 for Sampoerna and Artha Graha), an assumption written down there. Written here on
 * purpose, never imported from the product's table (@quickcart/pakasir's methods.ts): if the two drift
 * apart, a test sees the receipt name another fee.
 */
export const SANDBOX_METHODS: Record<string, { name: string; fee: (amount: number) => number }> = {
  qris: { name: 'QRIS', fee: pakasirTieredFee },
  bni_va: { name: 'BNI Virtual Account', fee: () => 3500 },
  bri_va: { name: 'BRI Virtual Account', fee: () => 3500 },
  cimb_niaga_va: { name: 'CIMB Niaga Virtual Account', fee: () => 3500 },
  maybank_va: { name: 'Maybank Virtual Account', fee: () => 3500 },
  permata_va: { name: 'Permata Virtual Account', fee: () => 3500 },
  bnc_va: { name: 'BNC Virtual Account', fee: () => 3500 },
  atm_bersama_va: { name: 'ATM Bersama Virtual Account', fee: () => 3500 },
  sampoerna_va: { name: 'Sampoerna Virtual Account', fee: () => 2000 },
  artha_graha_va: { name: 'Artha Graha Virtual Account', fee: () => 2000 },
};

export const isSandboxMethod = (method: string): boolean => Object.hasOwn(SANDBOX_METHODS, method);
