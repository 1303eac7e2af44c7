import type { RunState, Violation } from './run-state';

/** The invariants checked after the drain, by the key they report under. */
export const INVARIANTS = [
  'paid_delivered_or_refunded_once',
  'nothing_delivered_unpaid',
  'one_press_one_order',
  'stock_conserved',
  'nothing_reserved_for_closed_order',
  'voucher_held_or_used_rightly',
  'balance_equals_ledger',
  'unpaid_balance_order_keeps_no_money',
  'no_unexplained_open_order',
  'no_admin_effect_from_customers',
  'goods_shown_at_most_once',
  'no_press_lost',
  'no_process_crashed',
] as const;

interface OrderRow {
  invoice_id: string;
  user_id: string;
  kind: 'purchase' | 'deposit';
  payment_method: 'qris' | 'balance';
  status: string;
  total: string;
  refunded_amount: string | null;
  quantity: number | null;
  sold: number;
  credits: number;
  refunds: number;
  debits: number;
  /** What the ledger moved for this invoice, all reasons together. */
  net: string;
}

/** Every order with what the databases say happened to it: items sold, credits, refunds, debits. */
const ORDERS_SQL = `
  SELECT o.invoice_id, o.user_id, o.kind, o.payment_method, o.status, o.total, o.refunded_amount, oi.quantity,
         (SELECT count(*)::int FROM catalog.stock_items s WHERE s.invoice_id = o.invoice_id AND s.status = 'sold') AS sold,
         (SELECT count(*)::int FROM orders.ledger l WHERE l.reference = o.invoice_id AND l.reason = 'deposit') AS credits,
         (SELECT count(*)::int FROM orders.ledger l WHERE l.reference = o.invoice_id AND l.reason IN ('late_payment', 'refund')) AS refunds,
         (SELECT count(*)::int FROM orders.ledger l WHERE l.reference = o.invoice_id AND l.reason = 'purchase') AS debits,
         (SELECT coalesce(sum(l.delta), 0) FROM orders.ledger l WHERE l.reference = o.invoice_id) AS net
    FROM orders.orders o LEFT JOIN orders.order_items oi ON oi.order_id = o.id`;

/** How many orders ended in each status, by kind and payment method: the run's order figures. */
export async function orderFigures(s: RunState): Promise<Record<string, number>> {
  const { rows } = await s.c.db.query<{ key: string; n: number }>(
    `SELECT 'orders_' || kind || '_' || payment_method || '_' || status AS key, count(*)::int AS n
       FROM orders.orders GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

/** Reads the databases and the sandboxes' own records; returns every violation found. */
export async function checkInvariants(s: RunState): Promise<Violation[]> {
  const { c } = s;
  const v: Violation[] = [];
  const add = (invariant: string, subject: string, detail: string) => v.push({ invariant, subject, detail });
  const q = async <T>(sql: string, params: unknown[] = []) => (await c.db.query(sql, params)).rows as T[];
  const orders = await q<OrderRow>(ORDERS_SQL);
  const byInvoice = new Map(orders.map((o) => [o.invoice_id, o]));

  // Paid ⇒ delivered once or refunded once (and never both).
  const paidAtPakasir = new Set(
    orders
      .filter((o) => c.pakasir.transaction(o.invoice_id)?.status === 'completed')
      .map((o) => o.invoice_id),
  );
  for (const id of s.paid.ids) paidAtPakasir.add(id);
  for (const id of paidAtPakasir) {
    const o = byInvoice.get(id);
    if (!o) {
      add('paid_delivered_or_refunded_once', id, 'Pakasir has a payment for an invoice orders does not know');
      continue;
    }
    const delivered = o.status === 'paid' && (o.kind === 'deposit' ? o.credits === 1 : o.sold === o.quantity);
    const refunded = o.refunded_amount !== null && o.refunds === 1;
    if (
      delivered === refunded ||
      o.credits > 1 ||
      o.refunds > 1 ||
      (o.quantity !== null && o.sold > o.quantity)
    )
      add(
        'paid_delivered_or_refunded_once',
        id,
        `paid at Pakasir; order ${o.kind} ${o.status}, items sold ${o.sold}/${o.quantity ?? '-'}, ` +
          `deposit credits ${o.credits}, refunds ${o.refunds}, refunded_amount ${o.refunded_amount ?? 'null'}`,
      );
  }

  // Nothing delivered without a confirmed payment or a debit.
  for (const o of orders) {
    const gotSomething = o.status === 'paid' || o.sold > 0 || o.credits > 0;
    if (!gotSomething) continue;
    const confirmed =
      o.payment_method === 'qris' ? paidAtPakasir.has(o.invoice_id) : o.debits === 1 || Number(o.total) === 0;
    if (!confirmed || (o.status !== 'paid' && (o.sold > 0 || o.credits > 0)))
      add(
        'nothing_delivered_unpaid',
        o.invoice_id,
        `${o.payment_method} ${o.kind} ${o.status}: sold ${o.sold}, credits ${o.credits}, debits ${o.debits}, ` +
          `Pakasir ${c.pakasir.transaction(o.invoice_id)?.status ?? 'no payment'}`,
      );
  }
  // A balance purchase closed unpaid gave back any debit it took (docs/architecture.md §5).
  for (const o of orders) {
    const closedUnpaid = ['expired', 'cancelled', 'failed'].includes(o.status);
    if (o.kind === 'purchase' && o.payment_method === 'balance' && closedUnpaid && Number(o.net) !== 0)
      add('unpaid_balance_order_keeps_no_money', o.invoice_id, `${o.status}, ledger net ${o.net}`);
  }
  const strays = await q<{ invoice_id: string; n: number }>(
    `SELECT s.invoice_id, count(*)::int AS n FROM catalog.stock_items s
      WHERE s.status = 'sold' AND NOT EXISTS (SELECT 1 FROM orders.orders o WHERE o.invoice_id = s.invoice_id)
      GROUP BY 1`,
  );
  for (const r of strays)
    add('nothing_delivered_unpaid', r.invoice_id, `${r.n} items sold for an order that does not exist`);

  // One press makes at most one order: the API's double presses were checked as they came; the bot's here.
  const perUser = await q<{ user_id: string; n: number }>(
    `SELECT user_id, count(*)::int AS n FROM orders.orders GROUP BY 1`,
  );
  for (const r of perUser) {
    const presses = s.presses.get(Number(r.user_id));
    if (presses !== undefined && r.n > presses)
      add('one_press_one_order', `user ${r.user_id}`, `${r.n} orders from ${presses} presses`);
  }

  // Stock conserved per product; nothing reserved for a closed or missing order.
  const stock = await q<{ product_id: number; total: number; sold: number; sold_count: number }>(
    `SELECT p.id AS product_id, count(s.id)::int AS total, count(s.id) FILTER (WHERE s.status = 'sold')::int AS sold,
            p.sold_count FROM catalog.products p LEFT JOIN catalog.stock_items s ON s.product_id = p.id GROUP BY p.id`,
  );
  for (const p of stock) {
    const stocked = s.shop.stocked.get(p.product_id);
    if (stocked === undefined)
      add('no_admin_effect_from_customers', `product ${p.product_id}`, 'a product nobody added');
    else if (p.total !== stocked)
      add('stock_conserved', `product ${p.product_id}`, `${p.total} items, ${stocked} stocked`);
    if (p.sold !== p.sold_count)
      add('stock_conserved', `product ${p.product_id}`, `${p.sold} items sold, sold_count ${p.sold_count}`);
  }
  const oversold = orders.filter((o) => o.quantity !== null && o.sold > o.quantity);
  for (const o of oversold)
    add('stock_conserved', o.invoice_id, `${o.sold} items sold for ${o.quantity} ordered`);
  const OPEN = `('pending', 'payment_unknown')`;
  const held = await q<{ invoice_id: string; what: string; status: string | null }>(
    `SELECT s.invoice_id, count(*) || ' items' AS what, o.status FROM catalog.stock_items s
       LEFT JOIN orders.orders o ON o.invoice_id = s.invoice_id
      WHERE s.status = 'reserved' AND (o.status IS NULL OR o.status NOT IN ${OPEN}) GROUP BY 1, 3
     UNION ALL
     SELECT r.invoice_id, 'reservation of ' || r.quantity AS what, o.status FROM catalog.reservations r
       LEFT JOIN orders.orders o ON o.invoice_id = r.invoice_id
      WHERE r.status = 'reserved' AND (o.status IS NULL OR o.status NOT IN ${OPEN})`,
  );
  for (const r of held)
    add(
      'nothing_reserved_for_closed_order',
      r.invoice_id,
      `${r.what} reserved for a ${r.status ?? 'missing'} order`,
    );

  const vouchers = await q<{
    code: string;
    held_by: string | null;
    used_invoice: string | null;
    held: string | null;
    used: string | null;
  }>(
    `SELECT v.code, v.held_by, v.used_invoice, h.status AS held, u.status AS used FROM orders.vouchers v
       LEFT JOIN orders.orders h ON h.invoice_id = v.held_by LEFT JOIN orders.orders u ON u.invoice_id = v.used_invoice
      WHERE v.held_by IS NOT NULL OR v.used_invoice IS NOT NULL`,
  );
  for (const r of vouchers) {
    if (r.held_by && !['pending', 'payment_unknown'].includes(r.held ?? ''))
      add('voucher_held_or_used_rightly', r.code, `held by ${r.held_by}, which is ${r.held ?? 'missing'}`);
    if (r.used_invoice && r.used !== 'paid')
      add(
        'voucher_held_or_used_rightly',
        r.code,
        `used by ${r.used_invoice}, which is ${r.used ?? 'missing'}`,
      );
  }

  // balance = Σ ledger ≥ 0.
  const balances = await q<{ id: string; balance: string; sum: string; bad_chain: number }>(
    `SELECT u.id, u.balance, coalesce(sum(l.delta), 0) AS sum,
            count(*) FILTER (WHERE l.balance_after < 0)::int AS bad_chain
       FROM orders.users u LEFT JOIN orders.ledger l ON l.user_id = u.id GROUP BY u.id`,
  );
  for (const b of balances)
    if (Number(b.balance) !== Number(b.sum) || Number(b.balance) < 0 || b.bad_chain > 0)
      add('balance_equals_ledger', `user ${b.id}`, `balance ${b.balance}, ledger sum ${b.sum}`);

  // No order left open without a reason an operator can see (payment_unknown is such a reason).
  for (const o of orders.filter((x) => x.status === 'pending'))
    add(
      'no_unexplained_open_order',
      o.invoice_id,
      `${o.payment_method} ${o.kind} still pending after the drain`,
    );

  // Customers' admin commands changed nothing: no balance edits or transfers, no new roles.
  const edits = await q<{ user_id: string; reason: string; delta: string }>(
    `SELECT user_id, reason, delta FROM orders.ledger WHERE reason IN ('edit', 'transfer')`,
  );
  for (const e of edits)
    add('no_admin_effect_from_customers', `user ${e.user_id}`, `${e.reason} of ${e.delta}`);
  const roles = await q<{ id: string; role: string; is_banned: boolean }>(
    `SELECT id, role, is_banned FROM orders.users WHERE role <> 'customer' OR is_banned`,
  );
  for (const r of roles)
    add('no_admin_effect_from_customers', `user ${r.id}`, `role ${r.role}, banned ${r.is_banned}`);

  // Goods shown at most once: no stock line twice in the customers' chats.
  const lines = new Map<string, number>();
  for (const summary of c.telegram.chats()) {
    for (const m of c.telegram.store.find(summary.id)?.messages ?? []) {
      if (m.from !== 'bot') continue;
      for (const line of (m.text ?? m.caption ?? '').split('\n'))
        if (line.includes(`${c.tag}-p`)) lines.set(line.trim(), (lines.get(line.trim()) ?? 0) + 1);
    }
  }
  for (const [line, n] of lines) if (n > 1) add('goods_shown_at_most_once', line, `shown ${n} times`);
  return v;
}
