import type { CatalogClient } from '@quickcart/catalog/client';
import { CATALOG_REFUSAL } from '@quickcart/catalog/contract';
import { Conflict, type Logger } from '@quickcart/kit';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { OrderStatus } from '../contract';

const PAGE = 100;

/**
 * Statuses in which an order will never take its stock: closed without being paid. A paid order's
 * stock is sold by its workflow; a pending or parked (payment_unknown) one may still be paid.
 */
const CLOSED_UNPAID: readonly OrderStatus[] = ['expired', 'cancelled', 'failed'];

export interface ReservationSweepDeps {
  sequelize: Sequelize;
  catalog: CatalogClient;
  logger: Logger;
  /**
   * Only reservations older than this are judged: a younger one without an order may be a checkout of
   * a version that reserved before writing its order, about to write it.
   */
  minAgeSeconds?: number;
}

/**
 * Stock held for an order that does not exist or has closed unpaid (issue 12, "stock reserved for an
 * order that never existed"): left by a version that reserved before committing its order, or by an
 * order closed while the catalog could not be reached. Released here, so stock is never held for ever.
 */
export class ReservationSweep {
  constructor(private readonly d: ReservationSweepDeps) {}

  async releaseOrphans(): Promise<number> {
    let released = 0;
    let after: string | undefined;
    for (;;) {
      const { items } = await this.d.catalog.heldReservations({
        olderThanSeconds: this.d.minAgeSeconds ?? 300,
        after,
        limit: PAGE,
      });
      if (items.length === 0) return released;
      const invoiceIds = items.map((r) => r.invoiceId);
      const orders = await this.d.sequelize.query<{ invoice_id: string; status: OrderStatus }>(
        'SELECT invoice_id, status FROM orders.orders WHERE invoice_id IN (:invoiceIds)',
        { replacements: { invoiceIds }, type: QueryTypes.SELECT },
      );
      const statusOf = new Map(orders.map((o) => [o.invoice_id, o.status]));
      // A warranty replacement holds its item under the claim id while its workflow sells it.
      const claims = await this.d.sequelize.query<{ id: string }>(
        `SELECT id FROM orders.warranty_claims WHERE id IN (:invoiceIds) AND status IN ('open', 'replaced')`,
        { replacements: { invoiceIds }, type: QueryTypes.SELECT },
      );
      const replacing = new Set(claims.map((c) => c.id));
      for (const invoiceId of invoiceIds) {
        const status = statusOf.get(invoiceId);
        if (status !== undefined && !CLOSED_UNPAID.includes(status)) continue;
        if (replacing.has(invoiceId)) continue;
        if (await this.release(invoiceId)) {
          released++;
          this.d.logger.warn('released stock held for no open order', { invoiceId, order: status ?? 'none' });
        }
      }
      if (items.length < PAGE) return released;
      after = invoiceIds[invoiceIds.length - 1];
    }
  }

  /** False when it was sold meanwhile: a sold reservation is never put back on sale. */
  private async release(invoiceId: string): Promise<boolean> {
    try {
      await this.d.catalog.release(invoiceId);
      return true;
    } catch (error) {
      if (error instanceof Conflict && error.reason === CATALOG_REFUSAL.reservationCommitted) return false;
      throw error;
    }
  }
}
