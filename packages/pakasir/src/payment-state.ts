import { isRetryable } from '@quickcart/kit';
import type { PakasirClient } from './client';
import { isPaid, type OrderRef } from './contract';
import { methodFee, PAYMENT_METHOD_PATTERN } from './methods';

/**
 * What Pakasir's word on an order comes to. `unknown` is its own answer: a 4xx (a key rotated, an order
 * it does not know) or an answer of a shape we cannot read says nothing about the payment, and reading
 * it as "not paid" would close a paid invoice without a refund.
 */
export type PaymentState =
  | { state: 'paid'; completedAt: string | null; paidVia?: PaidVia }
  | { state: 'unpaid'; status: string }
  | { state: 'unknown'; reason: string };

/**
 * The one rule of what "paid" means (docs/features.md §6): Pakasir's transaction detail says completed, for
 * exactly the order's amount. Any other answer it gives is unpaid; no answer it could give is unknown.
 * An outage (5xx, timeout, network) is thrown, to be asked again later.
 */
export async function paymentState(
  pakasir: Pick<PakasirClient, 'detail'>,
  ref: OrderRef,
): Promise<PaymentState> {
  let transaction;
  try {
    transaction = await pakasir.detail(ref);
  } catch (error) {
    if (isRetryable(error)) throw error;
    const e = error as { reason?: unknown; name?: string };
    return { state: 'unknown', reason: typeof e.reason === 'string' ? e.reason : (e.name ?? 'error') };
  }
  if (isPaid(transaction.status) && transaction.amount === ref.amount) {
    const paidVia = paidViaOf(transaction, ref.amount);
    return { state: 'paid', completedAt: transaction.completedAt, ...(paidVia ? { paidVia } : {}) };
  }
  return { state: 'unpaid', status: transaction.status };
}

/**
 * How the customer paid, by Pakasir's confirmed answer (never the webhook's body): its `payment_method`,
 * and the fee it reports, else that method's published fee (methods.ts), else null (unknown).
 */
export interface PaidVia {
  method: string;
  fee: number | null;
}

function paidViaOf(
  t: { paymentMethod: string | null; fee: number | null; totalPayment: number | null },
  amount: number,
): PaidVia | undefined {
  if (t.paymentMethod === null || !PAYMENT_METHOD_PATTERN.test(t.paymentMethod)) return undefined;
  const reported = t.fee ?? (t.totalPayment !== null ? t.totalPayment - amount : null);
  const fee = reported !== null && reported >= 0 ? reported : (methodFee(t.paymentMethod, amount) ?? null);
  return { method: t.paymentMethod, fee };
}
