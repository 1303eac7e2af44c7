import { Conflict, NotFound } from '@quickcart/kit';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { z } from 'zod';
import {
  CATALOG_REFUSAL,
  type CommittedReservation,
  type HeldReservationPage,
  type heldReservationsQuery,
  type Reservation,
} from '../contract';
import { lockProductForStockMove } from './lock-order';

interface ReservationRow {
  invoice_id: string;
  product_id: number;
  quantity: number;
  status: Reservation['status'];
}

/** Thrown inside the fast path to roll it back and take the careful path. */
class ShortOfUnlockedStock extends Error {}

/**
 * Stock reservation for an invoice: reserve, commit (sold), release. Each step is idempotent by
 * invoice id: repeating it answers as the first call did. Stock moves only inside one transaction
 * with row locks, and a reserve that cannot be fully met holds nothing.
 */
export class Reservations {
  constructor(private readonly sequelize: Sequelize) {}

  /** With `fresh`, an invoice id that already holds a reservation is refused: it is someone else's. */
  async reserve(
    invoiceId: string,
    productId: number,
    quantity: number,
    { fresh = false }: { fresh?: boolean } = {},
  ): Promise<Reservation> {
    const product = await this.sequelize.query<{ is_active: boolean }>(
      'SELECT is_active FROM catalog.products WHERE id = :productId',
      { replacements: { productId }, type: QueryTypes.SELECT },
    );
    if (!product[0]?.is_active) throw new NotFound(`product ${productId} not found`, CATALOG_REFUSAL.product);
    try {
      // Fast path: take free rows, skipping rows other buyers hold, so buyers never queue behind each other.
      return await this.sequelize.transaction((t) =>
        this.reserveIn(t, { invoiceId, productId, quantity, fresh }, 'SKIP LOCKED'),
      );
    } catch (error) {
      if (!(error instanceof ShortOfUnlockedStock)) throw error;
    }
    // Careful path (docs/architecture.md §7.5): SKIP LOCKED under-counts while another buyer's transaction holds rows it
    // may roll back. Before saying "out of stock", wait for those locks and count again. Our own fast
    // path rolled back first, so we hold nothing while waiting and cannot deadlock.
    return this.sequelize.transaction(async (t) => {
      await this.sequelize.query(`SET LOCAL lock_timeout = '5s'`, { transaction: t });
      return this.reserveIn(t, { invoiceId, productId, quantity, fresh }, 'WAIT');
    });
  }

  private async reserveIn(
    t: Transaction,
    {
      invoiceId,
      productId,
      quantity,
      fresh,
    }: { invoiceId: string; productId: number; quantity: number; fresh: boolean },
    mode: 'SKIP LOCKED' | 'WAIT',
  ): Promise<Reservation> {
    await this.lockInvoice(invoiceId, t);
    // A release came first and found nothing (its tombstone): this invoice's order has closed.
    const [tombstone] = await this.sequelize.query(
      'SELECT 1 FROM catalog.released_invoices WHERE invoice_id = :invoiceId',
      { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
    );
    if (tombstone)
      throw new Conflict(`reservation ${invoiceId} was released`, CATALOG_REFUSAL.reservationReleased);
    // Claiming the invoice first serialises two calls for the same invoice on its primary key.
    const claimed = await this.sequelize.query<{ invoice_id: string }>(
      `INSERT INTO catalog.reservations (invoice_id, product_id, quantity, status)
       VALUES (:invoiceId, :productId, :quantity, 'reserved')
       ON CONFLICT (invoice_id) DO NOTHING RETURNING invoice_id`,
      { replacements: { invoiceId, productId, quantity }, type: QueryTypes.SELECT, transaction: t },
    );
    if (claimed.length === 0) {
      if (fresh)
        throw new Conflict(`invoice ${invoiceId} already holds a reservation`, CATALOG_REFUSAL.invoiceTaken);
      const existing = await this.view(invoiceId, t);
      if (existing.productId !== productId || existing.quantity !== quantity) {
        throw new Conflict(
          `invoice ${invoiceId} already holds a different reservation`,
          CATALOG_REFUSAL.invoiceReused,
        );
      }
      if (existing.status === 'released')
        throw new Conflict(`reservation ${invoiceId} was released`, CATALOG_REFUSAL.reservationReleased);
      return existing;
    }
    // The claim's foreign key holds the product row (KEY SHARE) from here on: the lock order's step 2
    // (lock-order.ts), before any stock row.
    const free = await this.sequelize.query<{ id: string }>(
      `SELECT id FROM catalog.stock_items
        WHERE product_id = :productId AND status = 'available'
        ORDER BY created_at, id
        ${mode === 'SKIP LOCKED' ? 'LIMIT :quantity FOR UPDATE SKIP LOCKED' : 'FOR UPDATE'}`,
      { replacements: { productId, quantity }, type: QueryTypes.SELECT, transaction: t },
    );
    if (free.length < quantity) {
      if (mode === 'SKIP LOCKED') throw new ShortOfUnlockedStock();
      throw new Conflict(`only ${free.length} of product ${productId} in stock`, CATALOG_REFUSAL.outOfStock, {
        available: free.length,
        requested: quantity,
      });
    }
    const ids = free.slice(0, quantity).map((r) => r.id);
    await this.sequelize.query(
      `UPDATE catalog.stock_items SET status = 'reserved', invoice_id = :invoiceId, updated_at = now() WHERE id IN (:ids)`,
      { replacements: { invoiceId, ids }, transaction: t },
    );
    return this.view(invoiceId, t);
  }

  /** Marks the reserved items sold and raises the product's sold count, once. */
  async commit(invoiceId: string): Promise<Reservation> {
    return this.sequelize.transaction(async (t) => {
      const row = await this.lockRow(invoiceId, t);
      if (row.status === 'released')
        throw new Conflict(`reservation ${invoiceId} was released`, CATALOG_REFUSAL.reservationReleased);
      if (row.status === 'reserved') {
        await lockProductForStockMove(this.sequelize, row.product_id, t);
        await this.sequelize.query(
          `UPDATE catalog.stock_items SET status = 'sold', sold_at = now(), updated_at = now()
            WHERE invoice_id = :invoiceId AND status = 'reserved'`,
          { replacements: { invoiceId }, transaction: t },
        );
        await this.sequelize.query(
          `UPDATE catalog.products SET sold_count = sold_count + :quantity, updated_at = now() WHERE id = :productId`,
          { replacements: { quantity: row.quantity, productId: row.product_id }, transaction: t },
        );
        await this.setStatus(invoiceId, 'committed', t);
      }
      return this.view(invoiceId, t);
    });
  }

  /**
   * Puts the reserved items back on sale. A committed reservation cannot be released. One that does not
   * exist (yet) is answered NotFound and leaves a tombstone, so a reserve for the invoice that arrives
   * later (stalled past its order's close) is refused instead of holding stock for a closed order.
   */
  async release(invoiceId: string): Promise<Reservation> {
    const outcome = await this.sequelize.transaction(async (t) => {
      await this.lockInvoice(invoiceId, t);
      const [found] = await this.sequelize.query<ReservationRow>(
        'SELECT * FROM catalog.reservations WHERE invoice_id = :invoiceId FOR UPDATE',
        { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
      );
      if (!found) {
        await this.sequelize.query(
          'INSERT INTO catalog.released_invoices (invoice_id) VALUES (:invoiceId) ON CONFLICT DO NOTHING',
          { replacements: { invoiceId }, transaction: t },
        );
        return undefined;
      }
      const row = found;
      if (row.status === 'committed')
        throw new Conflict(`reservation ${invoiceId} is already sold`, CATALOG_REFUSAL.reservationCommitted);
      if (row.status === 'reserved') {
        await lockProductForStockMove(this.sequelize, row.product_id, t);
        await this.sequelize.query(
          `UPDATE catalog.stock_items SET status = 'available', invoice_id = NULL, updated_at = now()
            WHERE invoice_id = :invoiceId AND status = 'reserved'`,
          { replacements: { invoiceId }, transaction: t },
        );
        await this.setStatus(invoiceId, 'released', t);
      }
      return this.view(invoiceId, t);
    });
    if (!outcome) throw new NotFound(`no reservation for invoice ${invoiceId}`, CATALOG_REFUSAL.reservation);
    return outcome;
  }

  /**
   * One invoice's reserve and release, one at a time (a transaction-scoped advisory lock on the invoice
   * id): a release waits for a reserve in flight and then releases it, or leaves its tombstone first.
   */
  private async lockInvoice(invoiceId: string, t: Transaction): Promise<void> {
    await this.sequelize.query('SELECT pg_advisory_xact_lock(hashtextextended(:invoiceId, 0))', {
      replacements: { invoiceId },
      transaction: t,
    });
  }

  async get(invoiceId: string): Promise<Reservation> {
    return this.view(invoiceId);
  }

  /** Still holding stock after the given age, a page at a time by invoice id (reservations_held). */
  async held({
    olderThanSeconds,
    after,
    limit,
  }: z.output<typeof heldReservationsQuery>): Promise<HeldReservationPage> {
    const rows = await this.sequelize.query<ReservationRow & { created_at: Date }>(
      `SELECT invoice_id, product_id, quantity, created_at FROM catalog.reservations
        WHERE status = 'reserved' AND created_at < now() - make_interval(secs => :olderThanSeconds)
          AND invoice_id > :after
        ORDER BY invoice_id LIMIT :limit`,
      { replacements: { olderThanSeconds, after: after ?? '', limit }, type: QueryTypes.SELECT },
    );
    return {
      items: rows.map((r) => ({
        invoiceId: r.invoice_id,
        productId: r.product_id,
        quantity: r.quantity,
        reservedAt: r.created_at.toISOString(),
      })),
    };
  }

  /** The sold contents, for the delivery step only. */
  async committedItems(invoiceId: string): Promise<CommittedReservation> {
    const reservation = await this.view(invoiceId);
    if (reservation.status !== 'committed') {
      throw new Conflict(
        `reservation ${invoiceId} is ${reservation.status}, not committed`,
        CATALOG_REFUSAL.notCommitted,
      );
    }
    const items = await this.sequelize.query<{ id: string; content: string }>(
      `SELECT id, content FROM catalog.stock_items WHERE invoice_id = :invoiceId ORDER BY created_at, id`,
      { replacements: { invoiceId }, type: QueryTypes.SELECT },
    );
    return { ...reservation, items };
  }

  private async lockRow(invoiceId: string, t: Transaction): Promise<ReservationRow> {
    const [row] = await this.sequelize.query<ReservationRow>(
      'SELECT * FROM catalog.reservations WHERE invoice_id = :invoiceId FOR UPDATE',
      { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
    );
    if (!row) throw new NotFound(`no reservation for invoice ${invoiceId}`, CATALOG_REFUSAL.reservation);
    return row;
  }

  private async setStatus(invoiceId: string, status: Reservation['status'], t: Transaction): Promise<void> {
    await this.sequelize.query(
      'UPDATE catalog.reservations SET status = :status, updated_at = now() WHERE invoice_id = :invoiceId',
      { replacements: { invoiceId, status }, transaction: t },
    );
  }

  private async view(invoiceId: string, t?: Transaction): Promise<Reservation> {
    const [row] = await this.sequelize.query<ReservationRow>(
      'SELECT * FROM catalog.reservations WHERE invoice_id = :invoiceId',
      { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
    );
    if (!row) throw new NotFound(`no reservation for invoice ${invoiceId}`, CATALOG_REFUSAL.reservation);
    const items = await this.sequelize.query<{ id: string }>(
      'SELECT id FROM catalog.stock_items WHERE invoice_id = :invoiceId ORDER BY created_at, id',
      { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
    );
    return {
      invoiceId: row.invoice_id,
      productId: row.product_id,
      quantity: row.quantity,
      status: row.status,
      itemIds: items.map((i) => i.id),
    };
  }
}
