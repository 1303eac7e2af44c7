import type { AuditOutbox } from '@quickcart/audit';
import { PG, pgCode } from '@quickcart/db';
import { Conflict, NotFound } from '@quickcart/kit';
import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import {
  CATALOG_REFUSAL,
  DEFAULT_CATEGORY,
  DEFAULT_DESCRIPTION,
  type Discount,
  type ProductDetail,
  type addProductBody,
  type editProductBody,
} from '../contract';
import { CategoryDiscount, Product } from '../db/models';
import { auditedChange, changedFields, type Actor } from '../admin-audit';
import { normaliseDiscount } from '../pricing';
import { smallestFreeId } from '../product-ids';
import { lockProductForIdChange } from '../stock/lock-order';
import type { ProductQueries } from './queries';
import type { z } from 'zod';

const AUTO_ID_ATTEMPTS = 5;

/** The columns an admin changes, as the audit entry shows them. */
const AUDITED = [
  'id',
  'name',
  'description',
  'category',
  'customerPrice',
  'resellerPrice',
  'discountType',
  'discountValue',
  'isActive',
  'soldCount',
  'imageFileId',
] as const;
const snapshot = (p: Product | null): Record<string, unknown> =>
  p ? Object.fromEntries(AUDITED.map((k) => [k, p.get(k)])) : {};

/**
 * Admin writes to products (docs/features.md §3.2). Each answers with the product as an admin sees it, and
 * writes its audit entry (the fields that changed, before and after) in the same transaction.
 */
export class ProductAdmin {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly queries: ProductQueries,
    private readonly outbox: AuditOutbox,
  ) {}

  private detail(id: number): Promise<ProductDetail> {
    return this.queries.detail(id, 'customer', true);
  }

  async add(body: z.output<typeof addProductBody>, actor: Actor): Promise<ProductDetail> {
    const values = {
      name: body.name,
      category: body.category || DEFAULT_CATEGORY,
      description: body.description || DEFAULT_DESCRIPTION,
      customerPrice: body.price,
      resellerPrice: body.resellerPrice ?? null,
    };
    if (body.id != null) {
      await this.insert({ ...values, id: body.id }, true, actor);
      return this.detail(body.id);
    }
    // Two admins adding at once may pick the same free id; the loser takes the next one.
    for (let attempt = 1; ; attempt++) {
      const used = await Product.findAll({ attributes: ['id'], raw: true });
      const id = smallestFreeId(used.map((p) => p.id));
      if (await this.insert({ ...values, id }, attempt === AUTO_ID_ATTEMPTS, actor)) return this.detail(id);
    }
  }

  /** True when inserted; false on an id clash unless `throwOnClash`. */
  private async insert(
    values: Record<string, unknown> & { id: number },
    throwOnClash: boolean,
    actor: Actor,
  ): Promise<boolean> {
    try {
      await auditedChange(
        this.sequelize,
        this.outbox,
        { actor, action: 'product.add', target: { type: 'product', id: String(values.id) } },
        async (transaction) => {
          const created = await Product.create(values, { transaction });
          await created.reload({ transaction });
          return { result: undefined, after: snapshot(created) };
        },
      );
      return true;
    } catch (error) {
      if (pgCode(error) !== PG.uniqueViolation) throw error;
      if (throwOnClash)
        throw new Conflict(`product id ${String(values.id)} is already taken`, CATALOG_REFUSAL.idTaken);
      return false;
    }
  }

  async edit(id: number, body: z.output<typeof editProductBody>, actor: Actor): Promise<ProductDetail> {
    const changes: Record<string, unknown> = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.category !== undefined) changes.category = body.category;
    if (body.description !== undefined) changes.description = body.description;
    if (body.price !== undefined) changes.customerPrice = body.price;
    if (body.resellerPrice !== undefined) changes.resellerPrice = body.resellerPrice;
    await this.updateActive(id, changes, actor, 'product.edit');
    return this.detail(id);
  }

  async changeId(id: number, newId: number, actor: Actor): Promise<ProductDetail> {
    if (id === newId) return this.detail(id);
    try {
      await this.updateActive(id, { id: newId }, actor, 'product.change_id', {
        idAfter: newId,
        // Its ON UPDATE CASCADE rewrites the product's reservation and stock rows: those locks come in
        // the order every stock move takes them.
        lockFirst: (t) => lockProductForIdChange(this.sequelize, id, t),
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation)
        throw new Conflict(`product id ${newId} is already taken`, CATALOG_REFUSAL.idTaken);
      throw error;
    }
    return this.detail(newId);
  }

  /** `/editsold`: adds `delta` (may be negative); the count never goes below 0. */
  async adjustSoldCount(id: number, delta: number, actor: Actor): Promise<ProductDetail> {
    await this.updateActive(
      id,
      { soldCount: this.sequelize.literal(`GREATEST(0, sold_count + ${Math.trunc(delta)})`) },
      actor,
      'product.sold_count',
    );
    return this.detail(id);
  }

  /** /setimage: the product detail's picture (a Telegram file id), or none. */
  async setImage(id: number, fileId: string | null, actor: Actor): Promise<ProductDetail> {
    await this.updateActive(id, { imageFileId: fileId }, actor, 'product.image');
    return this.detail(id);
  }

  async setDiscount(id: number, discount: Discount, actor: Actor): Promise<ProductDetail> {
    const d = normaliseDiscount(discount);
    await this.updateActive(
      id,
      { discountType: d?.type ?? null, discountValue: d?.value ?? null },
      actor,
      'product.discount',
    );
    return this.detail(id);
  }

  async setCategoryDiscount(
    category: string,
    discount: Discount,
    actor: Actor,
  ): Promise<{ category: string; discount: Discount | null }> {
    const inUse = await Product.count({ where: { category, isActive: true } });
    if (inUse === 0) throw new NotFound(`category "${category}" has no products`, CATALOG_REFUSAL.category);
    const d = normaliseDiscount(discount);
    return auditedChange(
      this.sequelize,
      this.outbox,
      { actor, action: 'category.discount', target: { type: 'category', id: category } },
      async (transaction) => {
        const was = await CategoryDiscount.findByPk(category, { transaction, lock: transaction.LOCK.UPDATE });
        if (d)
          await CategoryDiscount.upsert(
            { category, discountType: d.type, discountValue: d.value },
            { transaction },
          );
        else await CategoryDiscount.destroy({ where: { category }, transaction });
        const before = was ? { type: was.discountType, value: was.discountValue } : null;
        return { result: { category, discount: d }, before: { discount: before }, after: { discount: d } };
      },
    );
  }

  /** `/del`: hidden from customers; the row, its stock and its history stay. */
  async softDelete(id: number, actor: Actor): Promise<ProductDetail> {
    await this.updateActive(id, { isActive: false }, actor, 'product.delete');
    return this.detail(id);
  }

  /** One active product's change, locked, with the fields that changed as its audit entry. */
  private async updateActive(
    id: number,
    changes: Record<string, unknown>,
    actor: Actor,
    action: string,
    { idAfter = id, lockFirst }: { idAfter?: number; lockFirst?: (t: Transaction) => Promise<void> } = {},
  ): Promise<void> {
    await auditedChange(
      this.sequelize,
      this.outbox,
      { actor, action, target: { type: 'product', id: String(id) } },
      async (transaction) => {
        await lockFirst?.(transaction);
        const before = await Product.findOne({
          where: { id, isActive: true },
          transaction,
          lock: transaction.LOCK.UPDATE,
        });
        if (!before) throw new NotFound(`product ${id} not found`, CATALOG_REFUSAL.product);
        await Product.update(changes, { where: { id }, transaction });
        const after = await Product.findByPk(idAfter, { transaction });
        return { result: undefined, ...changedFields(snapshot(before), snapshot(after)) };
      },
    );
  }
}
