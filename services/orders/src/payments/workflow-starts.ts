import type { CatalogClient } from '@quickcart/catalog/client';
import { Conflict, type Logger } from '@quickcart/kit';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { Order } from '../contract';
import type { OrderStore } from '../orders/order-store';
import type { ShopWorkflows } from '../shop-workflows';

interface StartRow {
  invoice_id: string;
  /** Set when a newer checkout replaced the order: its workflow is cancelled (started first if need be). */
  cancel_reason: string | null;
  created_at: Date;
}

/** Who closes an order whose workflow will never run, in the audit log. */
const ACTOR = 'workflow-relay';
const PAGE = 100;
/** A run of failures this long means Temporal (or the database) is away: the next round tries again. */
const FAILURES_BEFORE_PAUSE = 3;

export interface WorkflowStartsDeps {
  sequelize: Sequelize;
  orders: OrderStore;
  workflows: ShopWorkflows;
  catalog: CatalogClient;
  logger: Logger;
  /** Rows younger than this are a checkout's own, still on its way to start them (WORKFLOW_START_GRACE). */
  graceMs: number;
  /** An order this old that never had a workflow is closed, not started: no QR long after the press. */
  staleAfterMs: number;
}

/**
 * The outbox of payment workflow starts (issue 12, "an order with no workflow"). A row is written in
 * the transaction that writes its order, so an order never exists without the promise of its workflow;
 * the checkout then starts it at once (dispatch) and the relay starts whatever a crash, a lost
 * connection or an unreachable Temporal left. Starting is idempotent by workflow id, so a row handled
 * twice starts one workflow.
 */
export class WorkflowStarts {
  constructor(private readonly d: WorkflowStartsDeps) {}

  /** In the order's own transaction. */
  async add(invoiceId: string, t: Transaction): Promise<void> {
    await this.d.sequelize.query(
      'INSERT INTO orders.workflow_starts (invoice_id) VALUES (:invoiceId) ON CONFLICT DO NOTHING',
      { replacements: { invoiceId }, transaction: t },
    );
  }

  /** In the transaction of the checkout that replaces the order: its workflow is to be cancelled. */
  async addCancel(invoiceId: string, reason: string, t: Transaction): Promise<void> {
    await this.d.sequelize.query(
      `INSERT INTO orders.workflow_starts (invoice_id, cancel_reason) VALUES (:invoiceId, :reason)
       ON CONFLICT (invoice_id) DO UPDATE SET cancel_reason = EXCLUDED.cancel_reason`,
      { replacements: { invoiceId, reason }, transaction: t },
    );
  }

  /** The order closed before its workflow was needed (refused at checkout): nothing to start. */
  async discard(invoiceId: string): Promise<void> {
    await this.d.sequelize.query('DELETE FROM orders.workflow_starts WHERE invoice_id = :invoiceId', {
      replacements: { invoiceId },
    });
  }

  /** Does what the order's row asks, now; throws when Temporal cannot be reached (the row stays). */
  async dispatch(invoiceId: string): Promise<void> {
    const [row] = await this.d.sequelize.query<StartRow>(
      'SELECT * FROM orders.workflow_starts WHERE invoice_id = :invoiceId',
      { replacements: { invoiceId }, type: QueryTypes.SELECT },
    );
    if (row) await this.handle(row);
  }

  /** Every row past the grace, oldest first; how many were done. */
  async relay(): Promise<number> {
    let done = 0;
    let failures = 0;
    let after = { createdAt: new Date(0), invoiceId: '' };
    for (;;) {
      const rows = await this.d.sequelize.query<StartRow>(
        `SELECT * FROM orders.workflow_starts
          WHERE created_at < now() - make_interval(secs => :grace)
            AND (created_at, invoice_id) > (:createdAt, :invoiceId)
          ORDER BY created_at, invoice_id LIMIT ${PAGE}`,
        { replacements: { grace: this.d.graceMs / 1000, ...after }, type: QueryTypes.SELECT },
      );
      for (const row of rows) {
        try {
          await this.handle(row);
          done++;
          failures = 0;
        } catch (error) {
          this.d.logger.warn('could not start a payment workflow; will retry', {
            invoiceId: row.invoice_id,
            error,
          });
          if (++failures >= FAILURES_BEFORE_PAUSE) return done;
        }
      }
      if (rows.length < PAGE) return done;
      after = { createdAt: rows[PAGE - 1]!.created_at, invoiceId: rows[PAGE - 1]!.invoice_id };
    }
  }

  /**
   * Pending orders older than `minAgeMs` with no row and no running workflow (left by a version before
   * this outbox, or a workflow an operator ended) get a row, dated as the order, for the relay.
   */
  async adoptOrphans(minAgeMs = 60_000): Promise<number> {
    let adopted = 0;
    let after = 0;
    for (;;) {
      const rows = await this.d.sequelize.query<{ id: number; invoice_id: string }>(
        `SELECT o.id, o.invoice_id FROM orders.orders o
          WHERE o.status = 'pending' AND o.id > :after
            AND o.created_at < now() - make_interval(secs => :minAge)
            AND NOT EXISTS (SELECT 1 FROM orders.workflow_starts w WHERE w.invoice_id = o.invoice_id)
          ORDER BY o.id LIMIT ${PAGE}`,
        { replacements: { after, minAge: minAgeMs / 1000 }, type: QueryTypes.SELECT },
      );
      for (const { invoice_id: invoiceId } of rows) {
        const order = await this.d.orders.get(invoiceId);
        if ((await this.d.workflows.paymentState(order)) === 'running') continue;
        await this.d.sequelize.query(
          `INSERT INTO orders.workflow_starts (invoice_id, created_at)
           SELECT invoice_id, created_at FROM orders.orders WHERE invoice_id = :invoiceId
           ON CONFLICT DO NOTHING`,
          { replacements: { invoiceId } },
        );
        this.d.logger.warn('a pending order had no workflow; relaying its start', { invoiceId });
        adopted++;
      }
      if (rows.length < PAGE) return adopted;
      after = Number(rows[PAGE - 1]!.id);
    }
  }

  private async handle(row: StartRow): Promise<void> {
    const order = await this.d.orders.get(row.invoice_id);
    // Anything but pending has had its workflow (or was closed before it needed one): nothing to start.
    if (order.status === 'pending') await this.settle(order, row.cancel_reason);
    // A cancel written meanwhile by a newer checkout keeps the row for the next round.
    await this.d.sequelize.query(
      `DELETE FROM orders.workflow_starts
        WHERE invoice_id = :invoiceId AND cancel_reason IS NOT DISTINCT FROM :reason`,
      { replacements: { invoiceId: row.invoice_id, reason: row.cancel_reason } },
    );
  }

  private async settle(order: Order, cancelReason: string | null): Promise<void> {
    const stale = Date.now() - Date.parse(order.createdAt) > this.d.staleAfterMs;
    if (stale && (await this.d.workflows.paymentState(order)) !== 'running') {
      return this.closeOrphan(order, 'never started within its payment window');
    }
    const outcome = cancelReason
      ? await this.d.workflows.cancel(order, cancelReason)
      : await this.d.workflows.startPayment(order);
    if (outcome === 'ended') await this.closeOrphan(order, 'its workflow ended and left it pending');
  }

  /**
   * A pending order whose workflow will never run: closed `failed` (its voucher given back, audited)
   * and its stock released. If the catalog cannot be reached, the reservation sweep releases it later.
   */
  private async closeOrphan(order: Order, why: string): Promise<void> {
    try {
      await this.d.orders.transition(order.invoiceId, 'failed', ACTOR);
    } catch (error) {
      if (error instanceof Conflict) return; // closed meanwhile by someone who could
      throw error;
    }
    this.d.logger.warn('closed an order that has no workflow', { invoiceId: order.invoiceId, why });
    if (order.kind !== 'purchase') return;
    await this.d.catalog.release(order.invoiceId).catch((error: Error) =>
      this.d.logger.warn('could not release the stock of a closed order; the sweep will', {
        invoiceId: order.invoiceId,
        error,
      }),
    );
  }
}
