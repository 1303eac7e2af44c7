import type { AuditOutbox } from '@quickcart/audit';
import { PG, pgCode } from '@quickcart/db';
import { Conflict, Invalid, NotFound } from '@quickcart/kit';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import {
  ORDERS_REFUSAL,
  REQUEST_KEY_DAYS,
  type LedgerEntry,
  type Order,
  type OrderStatus,
  type PaidVia,
} from '../contract';
import { toOrder, type OrderRow } from '../db/rows';
import type { StatusChange } from '../metrics';
import type { Vouchers } from '../vouchers/vouchers';
import type { BalancePayment } from './balance-payment';

const SELECT_ORDER = `
  SELECT o.*, i.product_id, i.product_name, i.quantity, i.price_per_unit, i.stock_item_ids
    FROM orders.orders o LEFT JOIN orders.order_items i ON i.order_id = o.id`;

/**
 * Where an order's status may go. `payment_unknown` is a QRIS order parked because Pakasir would not say
 * whether it was paid: it keeps what it holds and ends in a final status once its workflow knows.
 */
const NEXT: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'expired', 'cancelled', 'failed', 'payment_unknown'],
  payment_unknown: ['paid', 'expired', 'cancelled', 'failed'],
};

export interface NewOrder {
  invoiceId: string;
  userId: number;
  kind: Order['kind'];
  subtotal: number;
  voucherDiscount: number;
  paymentFee: number;
  paymentMethod: Order['paymentMethod'];
  item?: { productId: number; productName: string; quantity: number; pricePerUnit: number };
  /** The request that asked for it (see `byRequestKey`). */
  requestKey?: string;
  /** The message that becomes the receipt of a balance purchase (docs/delivery.md). */
  pressMessageId?: number;
}

/** The insert lost to another order with the same request key (the unique index decided). */
export const requestKeyTaken = (error: unknown): boolean =>
  pgCode(error) === PG.uniqueViolation &&
  (error as { parent?: { constraint?: string } }).parent?.constraint === 'orders_request_key';

/** Orders and deposits, their items, and the one rule for how an order's status may change. */
export class OrderStore {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
    private readonly vouchers: Vouchers,
    private readonly balance: BalancePayment,
    /** Told of each committed status change (metrics); a repeated transition tells nothing. */
    private readonly onStatusChange: (change: StatusChange) => void = () => {},
  ) {}

  async create(o: NewOrder, t: Transaction): Promise<void> {
    // A key past its days no longer stands for its request: the old order lets go of it (§7.2).
    if (o.requestKey !== undefined)
      await this.sequelize.query(
        `UPDATE orders.orders SET request_key = NULL
          WHERE request_key = :requestKey AND created_at <= now() - make_interval(days => :days)`,
        { replacements: { requestKey: o.requestKey, days: REQUEST_KEY_DAYS }, transaction: t },
      );
    const [{ id }] = await this.sequelize.query<{ id: number }>(
      `INSERT INTO orders.orders (invoice_id, user_id, kind, subtotal, voucher_discount, payment_fee, total, payment_method, request_key, press_message_id)
       VALUES (:invoiceId, :userId, :kind, :subtotal, :voucherDiscount, :paymentFee, :total, :paymentMethod, :requestKey, :pressMessageId) RETURNING id`,
      {
        replacements: {
          ...o,
          total: o.subtotal - o.voucherDiscount + o.paymentFee,
          requestKey: o.requestKey ?? null,
          pressMessageId: o.pressMessageId ?? null,
        },
        type: QueryTypes.SELECT,
        transaction: t,
      },
    );
    if (o.item) {
      await this.sequelize.query(
        `INSERT INTO orders.order_items (order_id, product_id, product_name, quantity, price_per_unit)
         VALUES (:id, :productId, :productName, :quantity, :pricePerUnit)`,
        { replacements: { id, ...o.item }, transaction: t },
      );
    }
    await this.outbox.add(
      {
        actor: String(o.userId),
        action: 'order.status',
        target: { type: 'order', id: o.invoiceId },
        before: null,
        after: {
          status: 'pending',
          kind: o.kind,
          paymentMethod: o.paymentMethod,
          subtotal: o.subtotal,
          fee: o.paymentFee,
        },
        reference: o.invoiceId,
        idempotencyKey: `order:${o.invoiceId}:pending`,
      },
      t,
    );
  }

  /** The order, or undefined when there is none. */
  async find(invoiceId: string): Promise<Order | undefined> {
    return this.get(invoiceId).catch((error) => {
      if (error instanceof NotFound) return undefined;
      throw error;
    });
  }

  async get(invoiceId: string, t?: Transaction, lock = false): Promise<Order> {
    const [row] = await this.sequelize.query<OrderRow>(
      `${SELECT_ORDER} WHERE o.invoice_id = :invoiceId${lock ? ' FOR UPDATE OF o' : ''}`,
      { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
    );
    if (!row) throw new NotFound(`order ${invoiceId} not found`, ORDERS_REFUSAL.order);
    return toOrder(row);
  }

  /**
   * The order a request (a Telegram update) made within REQUEST_KEY_DAYS, if any: a repeat of it answers
   * this one; an older one is not a repeat.
   */
  async byRequestKey(requestKey: string): Promise<Order | undefined> {
    const recent = `o.request_key = :requestKey AND o.created_at > now() - make_interval(days => :days)`;
    const [row] = await this.sequelize.query<OrderRow>(`${SELECT_ORDER} WHERE ${recent}`, {
      replacements: { requestKey, days: REQUEST_KEY_DAYS },
      type: QueryTypes.SELECT,
    });
    return row && toOrder(row);
  }

  /** Riwayat Transaksi: orders and deposits, newest first, 10 a page (docs/features.md §2.9). */
  async history(userId: number, page: number, pageSize = 10) {
    const [{ total }] = await this.sequelize.query<{ total: number }>(
      'SELECT count(*) AS total FROM orders.orders WHERE user_id = :userId',
      { replacements: { userId }, type: QueryTypes.SELECT },
    );
    const totalPages = Math.max(1, Math.ceil(total / pageSize));
    const current = Math.min(page, totalPages);
    const rows = await this.sequelize.query<OrderRow>(
      `${SELECT_ORDER} WHERE o.user_id = :userId ORDER BY o.created_at DESC, o.id DESC LIMIT :limit OFFSET :offset`,
      {
        replacements: { userId, limit: pageSize, offset: (current - 1) * pageSize },
        type: QueryTypes.SELECT,
      },
    );
    return { items: rows.map(toOrder), page: current, totalPages, totalItems: total };
  }

  /**
   * The customer's pending QRIS invoices older than `order`: a new QRIS press replaces them (at most one
   * stays pending, docs/features.md §8.3), and the new order's run cancels their runs.
   */
  async pendingQrisBefore(order: Order): Promise<Order[]> {
    const rows = await this.sequelize.query<OrderRow>(
      `${SELECT_ORDER} WHERE o.user_id = :userId AND o.status = 'pending' AND o.payment_method = 'qris'
          AND o.id < (SELECT id FROM orders.orders WHERE invoice_id = :invoiceId)`,
      { replacements: { userId: order.userId, invoiceId: order.invoiceId }, type: QueryTypes.SELECT },
    );
    return rows.map(toOrder);
  }

  /**
   * pending → paid | expired | cancelled | failed | payment_unknown, and payment_unknown → one of the
   * first four, once (NEXT). Repeating the same transition answers the order unchanged (activities
   * retry); any other change is refused: a paid order never expires. A balance order becomes paid only
   * with its debit in the ledger, whatever its caller believes. A QRIS order paid by another method than
   * its invoice's (a virtual account on Pakasir's page, `paidVia`) keeps its amount, the customer's
   * obligation, and takes that method's fee in payment_fee and total (docs/features.md §6.1).
   */
  async transition(
    invoiceId: string,
    to: Exclude<OrderStatus, 'pending'>,
    actor: string,
    stockItemIds?: string[],
    paidVia?: PaidVia,
  ): Promise<Order> {
    return this.sequelize
      .transaction(async (t) => {
        const order = await this.get(invoiceId, t, true);
        if (order.status === to) return order;
        const parkingBalance = to === 'payment_unknown' && order.paymentMethod !== 'qris';
        if (!NEXT[order.status]?.includes(to) || parkingBalance) {
          throw new Conflict(
            `order ${invoiceId} is ${order.status}, cannot become ${to}`,
            ORDERS_REFUSAL.invalidTransition,
          );
        }
        if (to === 'paid' && !(await this.paymentTaken(order, t))) {
          throw new Conflict(
            `order ${invoiceId} has no balance debit of ${order.total}`,
            ORDERS_REFUSAL.paymentMissing,
          );
        }
        if (paidVia && (to !== 'paid' || order.paymentMethod !== 'qris')) {
          throw new Invalid(`only a paid QRIS order has a Pakasir method`, ORDERS_REFUSAL.notQris);
        }
        // QRIS keeps the fee of Pakasir's create; another method's known fee replaces it in payment_fee
        // and total; an unknown one leaves them and is stored as unknown (paid_fee NULL).
        const byQris = paidVia?.method === 'qris';
        const fee = paidVia && !byQris ? paidVia.fee : null;
        const paidFee = paidVia ? (byQris ? order.paymentFee : paidVia.fee) : null;
        await this.sequelize.query(
          `UPDATE orders.orders SET status = :to, updated_at = now(),
                  paid_at = CASE WHEN :to = 'paid' THEN now() ELSE paid_at END,
                  paid_method = COALESCE(:method, paid_method),
                  paid_fee = CASE WHEN :method IS NULL THEN paid_fee ELSE CAST(:paidFee AS bigint) END,
                  payment_fee = COALESCE(:fee, payment_fee),
                  total = subtotal - voucher_discount + COALESCE(:fee, payment_fee)
            WHERE invoice_id = :invoiceId`,
          {
            replacements: { invoiceId, to, method: paidVia?.method ?? null, fee, paidFee },
            transaction: t,
          },
        );
        // A voucher the order holds is taken when it is paid and given back otherwise (§3.3); a parked
        // order may still turn out paid, so it keeps it.
        if (to !== 'payment_unknown') await this.vouchers.settle(invoiceId, order.userId, to, t);
        // Every way out of a balance purchase but paid gives its debit back, here and only here.
        if (to !== 'paid' && to !== 'payment_unknown') await this.balance.giveBackWithin(order, actor, t);
        if (stockItemIds?.length) {
          await this.sequelize.query(
            `UPDATE orders.order_items SET stock_item_ids = ARRAY[:ids]::text[]
              WHERE order_id = (SELECT id FROM orders.orders WHERE invoice_id = :invoiceId)`,
            { replacements: { invoiceId, ids: stockItemIds }, transaction: t },
          );
        }
        await this.outbox.add(
          {
            actor,
            action: 'order.status',
            target: { type: 'order', id: invoiceId },
            before: { status: order.status },
            after: paidVia ? { status: to, paidMethod: paidVia.method, paidFee } : { status: to },
            reference: invoiceId,
            idempotencyKey: `order:${invoiceId}:${to}`,
          },
          t,
        );
        t.afterCommit(() => this.onStatusChange({ order, to }));
        return this.get(invoiceId, t);
      })
      .finally(() => this.outbox.flushSoon());
  }

  /**
   * A new balance purchase's debit of its stored total, in the transaction that writes the order: not
   * enough balance refuses the whole press. A voucher worth the whole order leaves nothing to debit.
   */
  async debitWithin(invoiceId: string, t: Transaction): Promise<void> {
    const order = await this.get(invoiceId, t, true);
    if (order.total > 0) await this.balance.debitWithin(order, t);
  }

  /**
   * Takes a pending balance purchase's total from the balance, once (key `purchase:<inv>`). A repeat
   * answers the first entry, even after the order was paid; an order that closed first is refused
   * (`order_closed`): its give-back came first and wins.
   */
  async debitBalance(invoiceId: string): Promise<LedgerEntry | undefined> {
    return this.sequelize
      .transaction(async (t) => {
        const order = await this.get(invoiceId, t, true);
        if (order.paymentMethod !== 'balance' || order.kind !== 'purchase')
          throw new Conflict(`order ${invoiceId} is not a balance purchase`, ORDERS_REFUSAL.notBalance);
        const taken = await this.balance.takenWithin(order, t);
        if (order.status === 'paid' || (taken && order.status === 'pending')) return taken;
        if (order.status !== 'pending')
          throw new Conflict(`order ${invoiceId} is ${order.status}`, ORDERS_REFUSAL.orderClosed);
        // A voucher worth the whole order leaves nothing to debit (a ledger entry is never Rp0).
        if (order.total === 0) return undefined;
        return this.balance.debitWithin(order, t);
      })
      .finally(() => this.outbox.flushSoon());
  }

  /**
   * A balance order is paid once the purchase's debit of its total is in the ledger (posted by its
   * workflow before it marks the order); a voucher worth the whole order leaves nothing to debit.
   * QRIS orders are confirmed with Pakasir by their workflow.
   */
  private async paymentTaken(order: Order, t: Transaction): Promise<boolean> {
    if (order.paymentMethod !== 'balance' || order.total === 0) return true;
    const debit = await this.balance.takenWithin(order, t);
    return debit?.userId === order.userId && debit.delta === -order.total && debit.reason === 'purchase';
  }

  /**
   * Pakasir's answer to the create is what the customer pays: its fee replaces the quoted one in
   * payment_fee and total (the quote kept in quoted_fee, once), its total_payment is kept as it said.
   */
  async recordPakasirInvoice(invoiceId: string, fee: number, totalPayment: number): Promise<Order> {
    const updated = await this.sequelize.query(
      `UPDATE orders.orders
          SET quoted_fee = COALESCE(quoted_fee, payment_fee), payment_fee = :fee,
              total = subtotal - voucher_discount + :fee, invoice_total_payment = :totalPayment,
              updated_at = now()
        WHERE invoice_id = :invoiceId AND payment_method = 'qris' RETURNING id`,
      { replacements: { invoiceId, fee, totalPayment }, type: QueryTypes.SELECT },
    );
    if (updated.length === 0) throw new NotFound(`no QRIS order ${invoiceId}`, ORDERS_REFUSAL.order);
    return this.get(invoiceId);
  }

  async setQrMessage(invoiceId: string, messageId: number): Promise<Order> {
    await this.sequelize.query(
      'UPDATE orders.orders SET qr_message_id = :messageId, updated_at = now() WHERE invoice_id = :invoiceId',
      {
        replacements: { invoiceId, messageId },
      },
    );
    return this.get(invoiceId);
  }
}
