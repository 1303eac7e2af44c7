import type { Chaos } from './setup';
import { PAKASIR } from './setup';
import type { Random, Tally } from './settings';
import { sleep } from './settings';

/** How Pakasir's webhook behaves for one payment (the list of Pakasir faults). */
export type WebhookFault = 'none' | 'lost' | 'duplicated_x5' | 'late';

/** Invoices the customers paid and Pakasir accepted: each must end delivered once or refunded once. */
export class PaidInvoices {
  readonly ids = new Set<string>();
  /** Started late webhooks, awaited by the drain. */
  readonly pending: Promise<void>[] = [];
}

export function pickWebhookFault(rng: Random): WebhookFault {
  return rng.weighted({ none: 6, lost: 1.5, duplicated_x5: 1.5, late: 1 });
}

/**
 * The customer pays in the Pakasir sandbox, with the webhook fault given. The sandbox reads its switches
 * synchronously inside `pay`, so turning `dropWebhook` on around it drops this payment's webhook only;
 * duplicates and late ones are then posted here, as Pakasir would retry them. False when Pakasir refused
 * (the invoice was cancelled or expired there).
 */
export function pay(
  c: Chaos,
  invoiceId: string,
  fault: WebhookFault,
  o: { tally: Tally; paid: PaidInvoices; rng: Random },
): boolean {
  const { tally, paid } = o;
  const lateMs = o.rng.int(5_000, 25_000);
  const tx = c.pakasir.transaction(invoiceId);
  if (!tx) return false;
  c.pakasir.faults.set({ dropWebhook: fault !== 'none' });
  try {
    c.pakasir.pay(invoiceId);
  } catch {
    tally.add('payments_refused_by_pakasir');
    return false;
  } finally {
    c.pakasir.faults.set({ dropWebhook: false });
  }
  paid.ids.add(invoiceId);
  tally.add('payments');
  if (fault === 'none') return true;
  tally.add(`faults_webhook_${fault}`);
  const done = c.pakasir.transaction(invoiceId)!;
  const post = () => postCompletedWebhook(c, invoiceId, done.amount, done.completedAt);
  if (fault === 'duplicated_x5')
    paid.pending.push(Promise.all([1, 2, 3, 4, 5].map(post)).then(() => undefined));
  if (fault === 'late')
    paid.pending.push(
      sleep(lateMs)
        .then(post)
        .then(() => undefined),
    );
  return true;
}

/**
 * Posts Pakasir's "completed" webhook for an invoice to the shop, as Pakasir would (its retries, a late
 * one) or as a forger would (nothing paid). Any answer, or none, is fine: the checks look at the outcome.
 */
export async function postCompletedWebhook(
  c: Chaos,
  orderId: string,
  amount: number,
  completedAt: string | null = new Date().toISOString(),
): Promise<void> {
  await fetch(c.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      amount,
      order_id: orderId,
      project: PAKASIR.project,
      status: 'completed',
      payment_method: 'qris',
      completed_at: completedAt,
    }),
    signal: AbortSignal.timeout(5_000),
  }).then(
    (r) => r.arrayBuffer(),
    () => undefined,
  );
}
