import type { AuditOutbox } from '@quickcart/audit';
import { Conflict, NotFound } from '@quickcart/kit';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { CATALOG_REFUSAL, type AddStockResult, type StockExport } from '../contract';
import { auditedChange, type Actor } from '../admin-audit';
import { Product, StockItem } from '../db/models';
import { lockProductForStockMove } from './lock-order';

/**
 * Admin writes to stock (docs/features.md §3.2: /addstock, /delstock, /delallstock, /exportstock), each with
 * its audit entry in the same transaction. Entries hold counts and item ids, never stock contents.
 */
export class StockAdmin {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
  ) {}

  private audited<T>(
    actor: Actor,
    action: string,
    productId: number,
    work: Parameters<typeof auditedChange<T>>[3],
  ): Promise<T> {
    return auditedChange(
      this.sequelize,
      this.outbox,
      { actor, action, target: { type: 'product', id: String(productId) } },
      work,
    );
  }

  /**
   * One item a non-blank line. Blank lines and duplicates (of an earlier line, or of unsold stock
   * already there) are skipped and reported by line number, counting from 1.
   */
  async addStock(productId: number, lines: string[], actor: Actor): Promise<AddStockResult> {
    await this.requireProduct(productId, true);
    const skipped: AddStockResult['skipped'] = [];
    const firstLineOf = new Map<string, number>();
    lines.forEach((raw, index) => {
      const content = raw.trim();
      if (content === '') skipped.push({ line: index + 1, reason: 'blank' });
      else if (firstLineOf.has(content)) skipped.push({ line: index + 1, reason: 'duplicate' });
      else firstLineOf.set(content, index + 1);
    });
    const candidates = [...firstLineOf.keys()];
    return this.audited(actor, 'stock.add', productId, async (transaction) => {
      let inserted = new Set<string>();
      if (candidates.length > 0) {
        // The partial unique index on unsold content decides duplicates, so two admins adding the same
        // line at once still get one item.
        const rows = await this.sequelize.query<{ content: string }>(
          `INSERT INTO catalog.stock_items (product_id, content)
           SELECT :productId, c FROM unnest(ARRAY[:candidates]::text[]) WITH ORDINALITY AS t(c, n) ORDER BY n
           ON CONFLICT (product_id, md5(content)) WHERE status <> 'sold' DO NOTHING
           RETURNING content`,
          { replacements: { productId, candidates }, type: QueryTypes.SELECT, transaction },
        );
        inserted = new Set(rows.map((r) => r.content));
      }
      for (const [content, line] of firstLineOf) {
        if (!inserted.has(content)) skipped.push({ line, reason: 'duplicate' });
      }
      skipped.sort((a, b) => a.line - b.line);
      const { stockAvailable: stock } = await this.counts(productId, transaction);
      return {
        result: { added: inserted.size, skipped, stock },
        before: { stock: stock - inserted.size },
        after: { stock, added: inserted.size, skipped: skipped.length },
      };
    });
  }

  /** `/delstock`: only an available item; a reserved or sold one belongs to an invoice. */
  async deleteItem(productId: number, itemId: string, actor: Actor): Promise<void> {
    await this.requireProduct(productId, true);
    await this.audited(actor, 'stock.delete', productId, async (transaction) => {
      await this.lockProduct(productId, transaction);
      const item = await StockItem.findOne({
        where: { id: itemId, productId },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (!item)
        throw new NotFound(
          `stock item ${itemId} not found in product ${productId}`,
          CATALOG_REFUSAL.stockItem,
        );
      if (item.status !== 'available')
        throw new Conflict(
          `stock item ${itemId} is ${item.status}, not available`,
          CATALOG_REFUSAL.stockItemHeld,
        );
      await item.destroy({ transaction });
      return {
        result: undefined,
        before: { itemId, status: 'available' },
        after: { itemId, status: 'deleted' },
      };
    });
  }

  /** `/delallstock`: every available item; reserved ones stay with their pending invoices. */
  async deleteAllAvailable(
    productId: number,
    actor: Actor,
  ): Promise<{ deleted: number; keptReserved: number }> {
    await this.requireProduct(productId, true);
    return this.audited(actor, 'stock.delete_all', productId, async (transaction) => {
      await this.lockProduct(productId, transaction);
      const deleted = await StockItem.destroy({ where: { productId, status: 'available' }, transaction });
      const { stockReserved: keptReserved } = await this.counts(productId, transaction);
      return {
        result: { deleted, keptReserved },
        before: { available: deleted },
        after: { available: 0, deleted },
      };
    });
  }

  /**
   * `/exportstock`: the available items, oldest first. Works on a deleted product too, to recover its
   * stock. A reserved item belongs to a pending invoice that may still be paid and delivered, so it is
   * not handed out here. Changes nothing, but hands out credentials: who took how many is on the record
   * (ids, not contents).
   */
  async exportUnsold(productId: number, actor: Actor): Promise<StockExport> {
    await this.requireProduct(productId, false);
    return this.audited(actor, 'stock.export', productId, async (transaction) => {
      const items = await this.sequelize.query<StockExport['items'][number]>(
        `SELECT id, content, status FROM catalog.stock_items
          WHERE product_id = :productId AND status = 'available' ORDER BY created_at, id`,
        { replacements: { productId }, type: QueryTypes.SELECT, transaction },
      );
      return { result: { productId, items }, after: { exported: items.length } };
    });
  }

  /** Before any stock row (lock-order.ts); an id change that came first leaves nothing under this id. */
  private async lockProduct(id: number, transaction: Transaction): Promise<void> {
    if (!(await lockProductForStockMove(this.sequelize, id, transaction)))
      throw new NotFound(`product ${id} not found`, CATALOG_REFUSAL.product);
  }

  /** The product's stock counts as this transaction's own moves left them (kept by the stock triggers). */
  private counts(id: number, transaction: Transaction): Promise<Product> {
    return Product.findByPk(id, {
      attributes: ['stockAvailable', 'stockReserved'],
      transaction,
      rejectOnEmpty: true,
    });
  }

  private async requireProduct(id: number, activeOnly: boolean): Promise<void> {
    const product = await Product.findByPk(id, { attributes: ['id', 'isActive'] });
    if (!product || (activeOnly && !product.isActive))
      throw new NotFound(`product ${id} not found`, CATALOG_REFUSAL.product);
  }
}
