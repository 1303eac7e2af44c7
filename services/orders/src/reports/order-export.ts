import type { AuditOutbox } from '@quickcart/audit';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { ORDER_EXPORT_COLUMNS } from '../contract';
import { shopTime, type ResolvedPeriod } from './period';

/** Rows fetched per query: a page is a few hundred kilobytes at most, whatever the period's size. */
const PAGE = 500;

interface ExportRow {
  id: string;
  invoice_id: string;
  created_at: Date;
  /** created_at to the microsecond, as PostgreSQL wrote it: a Date keeps milliseconds only. */
  created_key: string;
  paid_at: Date | null;
  user_id: string;
  customer_name: string;
  kind: string;
  product_id: number | null;
  product_name: string | null;
  quantity: number | null;
  subtotal: string;
  voucher_discount: string;
  payment_fee: string;
  total: string;
  refunded_amount: string | null;
  payment_method: string;
  status: string;
}

/**
 * /exportorders (docs/features.md §3.5): every order and deposit made in the period as CSV, one row an
 * order, oldest first. Read in keyset pages on (created_at, id), each a short query of its own, and
 * streamed: a year of orders never sits in memory, and no query holds a connection while Telegram reads.
 */
export class OrderExport {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
  ) {}

  /** Who took the period's orders out of the shop, before any row is read (docs/features.md §3.5). */
  async audit(p: ResolvedPeriod, actor: string): Promise<void> {
    const period = `${p.firstDay}..${p.lastDay}`;
    await this.sequelize.transaction((t) =>
      this.outbox.add(
        {
          actor,
          action: 'orders.export',
          target: { type: 'period', id: period },
          after: { timezone: p.timezone },
        },
        t,
      ),
    );
    this.outbox.flushSoon();
  }

  csv(p: ResolvedPeriod): Readable {
    const rows = Readable.from(this.rows(p));
    const csv = stringify({ header: true, columns: [...ORDER_EXPORT_COLUMNS] });
    rows.on('error', (error) => csv.destroy(error));
    return rows.pipe(csv);
  }

  private async *rows(
    p: ResolvedPeriod,
  ): AsyncGenerator<Record<(typeof ORDER_EXPORT_COLUMNS)[number], unknown>> {
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await this.sequelize.query<ExportRow>(
        `SELECT o.id, o.invoice_id, o.created_at, CAST(o.created_at AS text) AS created_key, o.paid_at, o.user_id, u.name AS customer_name, o.kind,
                i.product_id, i.product_name, i.quantity, o.subtotal, o.voucher_discount, o.payment_fee,
                o.total, o.refunded_amount, COALESCE(o.paid_method, o.payment_method) AS payment_method, o.status
           FROM orders.orders o
           JOIN orders.users u ON u.id = o.user_id
           LEFT JOIN orders.order_items i ON i.order_id = o.id
          WHERE o.created_at >= :from AND o.created_at < :to
            AND (CAST(:afterAt AS timestamptz) IS NULL OR (o.created_at, o.id) > (CAST(:afterAt AS timestamptz), :afterId))
          ORDER BY o.created_at, o.id
          LIMIT :limit`,
        {
          replacements: {
            from: p.from,
            to: p.to,
            afterAt: after?.createdAt ?? null,
            afterId: after?.id ?? 0,
            limit: PAGE,
          },
          type: QueryTypes.SELECT,
        },
      );
      for (const r of page) {
        yield {
          invoice: r.invoice_id,
          created_at: shopTime(r.created_at, p.timezone),
          paid_at: r.paid_at ? shopTime(r.paid_at, p.timezone) : '',
          customer_id: r.user_id,
          customer_name: r.customer_name,
          kind: r.kind,
          product_id: r.product_id ?? '',
          product: r.product_name ?? '',
          quantity: r.quantity ?? '',
          subtotal: r.subtotal,
          voucher_discount: r.voucher_discount,
          payment_fee: r.payment_fee,
          total: r.total,
          refunded: r.refunded_amount ?? 0,
          method: r.payment_method,
          status: r.status,
        };
      }
      if (page.length < PAGE) return;
      const last = page[page.length - 1];
      after = { createdAt: last.created_key, id: last.id };
    }
  }
}
