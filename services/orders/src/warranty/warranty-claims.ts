import type { AuditOutbox } from '@quickcart/audit';
import { Conflict, NotFound } from '@quickcart/kit';
import { ledgerKeys, warrantyClaimId } from '@quickcart/workflow-api';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ShopSettings } from '../admin/shop-settings';
import {
  ORDERS_REFUSAL,
  type OpenClaimBody,
  type Order,
  type ProductWarranty,
  type WarrantyClaim,
  type WarrantyDecisionBody,
  type WarrantyResolveBody,
} from '../contract';
import type { Ledger } from '../ledger/ledger';
import type { OrderStore } from '../orders/order-store';
import { estimateRefund } from '../orders/refund';
import { warrantyDays, withinWarranty } from './warranty-window';

interface ClaimRow {
  id: string;
  invoice_id: string;
  n: number;
  user_id: string | number;
  product_id: number;
  product_name: string;
  problem: string;
  photo_file_id: string | null;
  status: WarrantyClaim['status'];
  decided_by: string | null;
  reject_reason: string | null;
  refund_amount: string | number | null;
  replacement_item_ids: string[] | null;
  created_at: Date;
  decided_at: Date | null;
}

const toClaim = (r: ClaimRow): WarrantyClaim => ({
  id: r.id,
  invoiceId: r.invoice_id,
  n: r.n,
  userId: Number(r.user_id),
  productId: r.product_id,
  productName: r.product_name,
  problem: r.problem,
  photoFileId: r.photo_file_id,
  status: r.status,
  decidedBy: r.decided_by,
  rejectReason: r.reject_reason,
  refundAmount: r.refund_amount === null ? null : Number(r.refund_amount),
  replacementItemIds: r.replacement_item_ids ?? [],
  createdAt: r.created_at.toISOString(),
  decidedAt: r.decided_at?.toISOString() ?? null,
});

/**
 * Warranty claims (docs/features.md §2.9.1): who may claim (a paid purchase inside its product's warranty
 * days), the claims themselves, and what each outcome writes. The claim's workflow decides when; this
 * decides whether, under the order's or the claim's row lock, and audits every change.
 */
export class WarrantyClaims {
  constructor(
    private readonly d: {
      sequelize: Sequelize;
      outbox: AuditOutbox;
      orders: OrderStore;
      ledger: Ledger;
      settings: ShopSettings;
    },
  ) {}

  async productWarranty(productId: number, t?: Transaction): Promise<ProductWarranty> {
    const [row] = await this.d.sequelize.query<{ days: number }>(
      'SELECT days FROM orders.product_warranties WHERE product_id = :productId',
      { replacements: { productId }, type: QueryTypes.SELECT, transaction: t },
    );
    const formula = await this.d.settings.refundFormula();
    return { productId, days: warrantyDays(row?.days, formula), ownDays: row?.days ?? null };
  }

  /** /setwarranty: the product's own warranty days, audited as `product.warranty`. */
  async setProductWarranty(productId: number, days: number, actor: string): Promise<ProductWarranty> {
    return this.audited(async (t) => {
      const before = await this.productWarranty(productId, t);
      await this.d.sequelize.query(
        `INSERT INTO orders.product_warranties (product_id, days) VALUES (:productId, :days)
         ON CONFLICT (product_id) DO UPDATE SET days = EXCLUDED.days, updated_at = now()`,
        { replacements: { productId, days }, transaction: t },
      );
      await this.d.outbox.add(
        {
          actor,
          action: 'product.warranty',
          target: { type: 'product', id: String(productId) },
          before: { days: before.ownDays },
          after: { days },
        },
        t,
      );
      return { productId, days, ownDays: days };
    });
  }

  /** Of these orders, the ones a claim can be made on now: paid purchases in their window, none open. */
  async claimable(orders: Order[], now = new Date()): Promise<string[]> {
    const paid = orders.filter((o) => o.kind === 'purchase' && o.status === 'paid' && o.paidAt);
    if (paid.length === 0) return [];
    const own = await this.d.sequelize.query<{ product_id: number; days: number }>(
      'SELECT product_id, days FROM orders.product_warranties WHERE product_id IN (:ids)',
      { replacements: { ids: paid.map((o) => o.productId ?? 0) }, type: QueryTypes.SELECT },
    );
    const open = await this.d.sequelize.query<{ invoice_id: string }>(
      `SELECT invoice_id FROM orders.warranty_claims WHERE invoice_id IN (:ids) AND status = 'open'`,
      { replacements: { ids: paid.map((o) => o.invoiceId) }, type: QueryTypes.SELECT },
    );
    const formula = await this.d.settings.refundFormula();
    const daysOf = new Map(own.map((r) => [r.product_id, r.days]));
    const isOpen = new Set(open.map((r) => r.invoice_id));
    return paid
      .filter((o) => !isOpen.has(o.invoiceId))
      .filter((o) =>
        withinWarranty(new Date(o.paidAt!), warrantyDays(daysOf.get(o.productId!), formula), now),
      )
      .map((o) => o.invoiceId);
  }

  /**
   * A customer's claim on their own paid purchase within its warranty. The order's row lock serialises
   * two claims on it; an open claim is answered again (the same request repeated), not doubled.
   */
  async open(b: OpenClaimBody, now = new Date()): Promise<{ claim: WarrantyClaim; created: boolean }> {
    return this.audited(async (t) => {
      const order = await this.d.orders.get(b.invoiceId, t, true).catch((error: unknown) => {
        throw error instanceof NotFound ? this.noSuchOrder(b.invoiceId) : error;
      });
      if (order.userId !== b.userId) throw this.noSuchOrder(b.invoiceId);
      if (order.kind !== 'purchase' || order.status !== 'paid' || !order.paidAt || !order.productId) {
        throw new Conflict(`invoice ${b.invoiceId} is not a paid purchase`, ORDERS_REFUSAL.notPaid);
      }
      const [open] = await this.rows(
        `invoice_id = :invoiceId AND status = 'open'`,
        { invoiceId: b.invoiceId },
        t,
      );
      if (open) return { claim: toClaim(open), created: false };
      const { days } = await this.productWarranty(order.productId, t);
      if (!withinWarranty(new Date(order.paidAt), days, now)) {
        throw new Conflict(
          `invoice ${b.invoiceId} is past its ${days}-day warranty`,
          ORDERS_REFUSAL.warrantyExpired,
        );
      }
      const [{ made }] = await this.d.sequelize.query<{ made: number }>(
        'SELECT count(*)::int AS made FROM orders.warranty_claims WHERE invoice_id = :invoiceId',
        { replacements: { invoiceId: b.invoiceId }, type: QueryTypes.SELECT, transaction: t },
      );
      const id = warrantyClaimId(b.invoiceId, made + 1);
      const [row] = await this.d.sequelize.query<ClaimRow>(
        `INSERT INTO orders.warranty_claims
           (id, invoice_id, n, user_id, product_id, product_name, problem, photo_file_id)
         VALUES (:id, :invoiceId, :n, :userId, :productId, :productName, :problem, :photo) RETURNING *`,
        {
          replacements: {
            id,
            invoiceId: b.invoiceId,
            n: made + 1,
            userId: b.userId,
            productId: order.productId,
            productName: order.productName ?? '',
            problem: b.problem,
            photo: b.photoFileId ?? null,
          },
          type: QueryTypes.SELECT,
          transaction: t,
        },
      );
      await this.d.outbox.add(
        {
          actor: String(b.userId),
          action: 'warranty.claim',
          target: { type: 'order', id: b.invoiceId },
          after: { claimId: id, status: 'open' },
          reference: id,
        },
        t,
      );
      return { claim: toClaim(row), created: true };
    });
  }

  async get(id: string): Promise<WarrantyClaim> {
    const [row] = await this.rows('id = :id', { id });
    if (!row) throw new NotFound(`claim ${id} not found`, ORDERS_REFUSAL.claim);
    return toClaim(row);
  }

  /** An admin's decision the workflow accepted, audited once per claim (the outcome is audited apart). */
  async recordDecision(id: string, d: WarrantyDecisionBody): Promise<void> {
    const claim = await this.get(id);
    await this.audited((t) =>
      this.d.outbox.add(
        {
          actor: d.actor,
          action: 'warranty.decision',
          target: { type: 'order', id: claim.invoiceId },
          after: { decision: d.decision, ...(d.decision === 'reject' ? { reason: d.reason } : {}) },
          reference: id,
          idempotencyKey: `warranty-decision:${id}:${d.decision}`,
        },
        t,
      ),
    );
  }

  /**
   * The refund calculator's claim count (docs/features.md §3.4): every claim the customer has made, whatever
   * its outcome, except the one being refunded (a first claim's refund is not docked for itself).
   */
  async countFor(userId: number, except?: string, t?: Transaction): Promise<number> {
    const [{ made }] = await this.d.sequelize.query<{ made: number }>(
      `SELECT count(*)::int AS made FROM orders.warranty_claims WHERE user_id = :userId AND id <> :except`,
      { replacements: { userId, except: except ?? '' }, type: QueryTypes.SELECT, transaction: t },
    );
    return made;
  }

  /**
   * What the claim's workflow did, written once under the claim's row lock: a repeat of the same outcome
   * answers the claim as recorded; another outcome is refused. A refund credits the calculator's amount
   * in the same transaction, under a ledger key of the claim, so it is credited once.
   */
  async resolve(id: string, r: WarrantyResolveBody, now = new Date()): Promise<WarrantyClaim> {
    return this.audited(async (t) => {
      const [row] = await this.rows('id = :id', { id }, t, true);
      if (!row) throw new NotFound(`claim ${id} not found`, ORDERS_REFUSAL.claim);
      if (row.status === r.outcome) return toClaim(row);
      if (row.status !== 'open') {
        throw new Conflict(`claim ${id} is already ${row.status}`, ORDERS_REFUSAL.claimDecided);
      }
      const refund = r.outcome === 'refunded' ? await this.refundAmount(row, now, t) : null;
      if (refund) {
        await this.d.ledger.postWithin(
          {
            userId: Number(row.user_id),
            delta: refund,
            reason: 'refund',
            reference: row.invoice_id,
            idempotencyKey: ledgerKeys.warrantyRefund(id),
            actor: r.actor,
          },
          t,
        );
      }
      const [updated] = await this.d.sequelize.query<ClaimRow>(
        `UPDATE orders.warranty_claims
            SET status = :status, decided_by = :actor, decided_at = now(), reject_reason = :reason,
                refund_amount = :refund, replacement_item_ids = CAST(:itemIds AS text[])
          WHERE id = :id RETURNING *`,
        {
          replacements: {
            id,
            status: r.outcome,
            actor: r.actor,
            reason: r.outcome === 'rejected' ? r.reason : null,
            refund,
            itemIds:
              r.outcome === 'replaced' ? `{${r.itemIds.map((i) => JSON.stringify(i)).join(',')}}` : null,
          },
          type: QueryTypes.SELECT,
          transaction: t,
        },
      );
      await this.d.outbox.add(
        {
          actor: r.actor,
          action: `warranty.${r.outcome}`,
          target: { type: 'order', id: row.invoice_id },
          before: { status: 'open' },
          after: {
            status: r.outcome,
            ...(refund === null ? {} : { refund }),
            ...(r.outcome === 'rejected' ? { reason: r.reason } : {}),
            ...(r.outcome === 'replaced' ? { items: r.itemIds.length } : {}),
          },
          reference: id,
        },
        t,
      );
      return toClaim(updated);
    });
  }

  /** The refund calculator's amount for the claim's order, counting the customer's other claims. */
  private async refundAmount(row: ClaimRow, now: Date, t: Transaction): Promise<number> {
    const order = await this.d.orders.get(row.invoice_id, t);
    const claims = await this.countFor(Number(row.user_id), row.id, t);
    const estimate = estimateRefund(
      { purchasePrice: order.amount, paidAt: new Date(order.paidAt!), now, claims },
      await this.d.settings.refundFormula(),
    );
    return estimate.refund;
  }

  private rows(where: string, replacements: Record<string, unknown>, t?: Transaction, lock = false) {
    return this.d.sequelize.query<ClaimRow>(
      `SELECT * FROM orders.warranty_claims WHERE ${where}${lock ? ' FOR UPDATE' : ''}`,
      { replacements, type: QueryTypes.SELECT, transaction: t },
    );
  }

  private noSuchOrder(invoiceId: string) {
    return new NotFound(`invoice ${invoiceId} not found`, ORDERS_REFUSAL.order);
  }

  private audited<T>(work: (t: Transaction) => Promise<T>) {
    return this.d.sequelize.transaction(work).finally(() => this.d.outbox.flushSoon());
  }
}
