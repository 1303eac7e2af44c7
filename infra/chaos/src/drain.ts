import type { RunState } from './run-state';
import { sleep } from './settings';

/**
 * After the faults: the sandboxes behave again, late webhooks are delivered, and the shop gets until
 * `drainMs` to close every order, settle every payment (through its polls, sweeps and reconciliation)
 * and handle every press sent. Returns how long it took, or undefined when the bound ran out first.
 */
export async function drain(
  s: RunState,
  drainMs: number,
  log: (line: string) => void,
): Promise<number | undefined> {
  const { c } = s;
  c.pakasir.faults.reset();
  c.telegram.faults.reset();
  for (const chat of c.telegram.chats())
    if (chat.blocked && chat.type === 'private') c.telegram.unblock(chat.id);
  await Promise.all(s.paid.pending);
  const began = Date.now();
  let last = '';
  while (Date.now() - began < drainMs) {
    const open = await c.db
      .query<{ pending: number; unknown: number }>(
        `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
                count(*) FILTER (WHERE status = 'payment_unknown')::int AS unknown FROM orders.orders`,
      )
      .then((r) => r.rows[0]!)
      .catch(() => undefined);
    const unsettled = await unsettledPayments(s);
    const unhandled = s.pressCount.unhandled();
    const now =
      `${open?.pending ?? '?'} pending, ${open?.unknown ?? '?'} payment_unknown, ` +
      `${unsettled} paid invoices unsettled, ${unhandled} presses not handled yet`;
    if (now !== last) log(`drain: ${now}`);
    last = now;
    if (open && open.pending === 0 && open.unknown === 0 && unsettled === 0 && unhandled === 0)
      return Date.now() - began;
    await sleep(2_000);
  }
  // What is still open, for the report: which orders, since when (their runs: the Web UI, by InvoiceId).
  const left = await c.db
    .query<{ invoice_id: string; kind: string; payment_method: string; status: string; age_s: number }>(
      `SELECT invoice_id, kind, payment_method, status, extract(epoch FROM now() - created_at)::int AS age_s
         FROM orders.orders WHERE status IN ('pending', 'payment_unknown') ORDER BY created_at`,
    )
    .then((r) => r.rows)
    .catch(() => []);
  for (const o of left)
    log(`drain: still ${o.status}: ${o.invoice_id} (${o.payment_method} ${o.kind}, ${o.age_s} s old)`);
  return undefined;
}

/** Invoices paid at Pakasir whose order is neither paid nor refunded yet. */
async function unsettledPayments(s: RunState): Promise<number> {
  if (s.paid.ids.size === 0) return 0;
  const rows = await s.c.db
    .query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders.orders
        WHERE invoice_id = ANY($1) AND status <> 'paid' AND refunded_amount IS NULL`,
      [[...s.paid.ids]],
    )
    .catch(() => undefined);
  return rows?.rows[0]?.n ?? -1;
}
