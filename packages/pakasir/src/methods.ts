import { qrisFee } from './fee';

/**
 * The methods Pakasir's payment page offers beside QRIS (docs/features.md §6.1), by the code its API,
 * webhook and detail name them with (`payment_method`), and the fee Pakasir adds for each.
 *
 * Sources: Pakasir's documentation (pakasir.com/p/docs, "C.3 Available Payment Methods") lists the codes;
 * it publishes no fee per method in the API docs. The fees are the ones two independent Pakasir SDKs
 * agree on (Fadhila36/pakasir-sdk `PaymentMethod::calculateFee`, zeative/pakasir-sdk `getPaymentUrl`):
 * Rp3.500 flat for most virtual accounts, Rp2.000 for Sampoerna and Artha Graha. Their QRIS fee matches
 * ours to the rupiah, which is why they are taken; still a quote: when Pakasir's answer carries a fee, that
 * fee is the one stored (paidFee).
 */
export const PAKASIR_VA_METHODS = {
  bni_va: { name: 'BNI Virtual Account', fee: 3_500 },
  bri_va: { name: 'BRI Virtual Account', fee: 3_500 },
  cimb_niaga_va: { name: 'CIMB Niaga Virtual Account', fee: 3_500 },
  maybank_va: { name: 'Maybank Virtual Account', fee: 3_500 },
  permata_va: { name: 'Permata Virtual Account', fee: 3_500 },
  bnc_va: { name: 'BNC Virtual Account', fee: 3_500 },
  atm_bersama_va: { name: 'ATM Bersama Virtual Account', fee: 3_500 },
  sampoerna_va: { name: 'Sampoerna Virtual Account', fee: 2_000 },
  artha_graha_va: { name: 'Artha Graha Virtual Account', fee: 2_000 },
} as const;

export type PakasirVaMethod = keyof typeof PAKASIR_VA_METHODS;

/** A `payment_method` as Pakasir writes it: lower-case letters, digits and `_`, short. */
export const PAYMENT_METHOD_PATTERN = /^[a-z0-9_]{1,40}$/;

const isVa = (method: string): method is PakasirVaMethod => Object.hasOwn(PAKASIR_VA_METHODS, method);

/** What a customer reads for a method: "QRIS", "BNI Virtual Account", or the code itself when unknown. */
export function paymentMethodName(method: string): string {
  if (method === 'qris') return 'QRIS';
  return isVa(method) ? PAKASIR_VA_METHODS[method].name : method;
}

/** The fee Pakasir adds for `method` on `amount` by its published prices; undefined for a method not listed. */
export function methodFee(method: string, amount: number): number | undefined {
  if (method === 'qris') return qrisFee(amount);
  return isVa(method) ? PAKASIR_VA_METHODS[method].fee : undefined;
}
