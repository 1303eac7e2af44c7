import { PG, pgCode } from '@quickcart/db';
import { Conflict, NotFound } from '@quickcart/kit';
import type { Sequelize } from 'sequelize-typescript';
import {
  DEFAULT_CATEGORY,
  DEFAULT_DESCRIPTION,
  type Discount,
  type ProductDetail,
  type addProductBody,
  type editProductBody,
} from '../contract';
import { CategoryDiscount, Product } from '../db/models';
import { normaliseDiscount } from '../pricing';
import { smallestFreeId } from '../product-ids';
import type { ProductQueries } from './queries';
import type { z } from 'zod';

const AUTO_ID_ATTEMPTS = 5;

/** Admin writes to products (FEATURES.md §3.2). Each answers with the product as an admin sees it. */
export class ProductAdmin {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly queries: ProductQueries,
  ) {}

  private detail(id: number): Promise<ProductDetail> {
    return this.queries.detail(id, 'customer', true);
  }

  async add(body: z.output<typeof addProductBody>): Promise<ProductDetail> {
    const values = {
      name: body.name,
      category: body.category || DEFAULT_CATEGORY,
      description: body.description || DEFAULT_DESCRIPTION,
      customerPrice: body.price,
      resellerPrice: body.resellerPrice ?? null,
    };
    if (body.id != null) {
      await this.insert({ ...values, id: body.id }, true);
      return this.detail(body.id);
    }
    // Two admins adding at once may pick the same free id; the loser takes the next one.
    for (let attempt = 1; ; attempt++) {
      const used = await Product.findAll({ attributes: ['id'], raw: true });
      const id = smallestFreeId(used.map((p) => p.id));
      if (await this.insert({ ...values, id }, attempt === AUTO_ID_ATTEMPTS)) return this.detail(id);
    }
  }

  /** True when inserted; false on an id clash unless `throwOnClash`. */
  private async insert(values: Record<string, unknown>, throwOnClash: boolean): Promise<boolean> {
    try {
      await Product.create(values);
      return true;
    } catch (error) {
      if (pgCode(error) !== PG.uniqueViolation) throw error;
      if (throwOnClash) throw new Conflict(`product id ${String(values.id)} is already taken`, 'id_taken');
      return false;
    }
  }

  async edit(id: number, body: z.output<typeof editProductBody>): Promise<ProductDetail> {
    const changes: Record<string, unknown> = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.category !== undefined) changes.category = body.category;
    if (body.description !== undefined) changes.description = body.description;
    if (body.price !== undefined) changes.customerPrice = body.price;
    if (body.resellerPrice !== undefined) changes.resellerPrice = body.resellerPrice;
    await this.updateActive(id, changes);
    return this.detail(id);
  }

  async changeId(id: number, newId: number): Promise<ProductDetail> {
    if (id === newId) return this.detail(id);
    try {
      await this.updateActive(id, { id: newId });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation)
        throw new Conflict(`product id ${newId} is already taken`, 'id_taken');
      throw error;
    }
    return this.detail(newId);
  }

  /** `/editsold`: adds `delta` (may be negative); the count never goes below 0. */
  async adjustSoldCount(id: number, delta: number): Promise<ProductDetail> {
    await this.updateActive(id, {
      soldCount: this.sequelize.literal(`GREATEST(0, sold_count + ${Math.trunc(delta)})`),
    });
    return this.detail(id);
  }

  async setDiscount(id: number, discount: Discount): Promise<ProductDetail> {
    const d = normaliseDiscount(discount);
    await this.updateActive(id, { discountType: d?.type ?? null, discountValue: d?.value ?? null });
    return this.detail(id);
  }

  async setCategoryDiscount(
    category: string,
    discount: Discount,
  ): Promise<{ category: string; discount: Discount | null }> {
    const inUse = await Product.count({ where: { category, isActive: true } });
    if (inUse === 0) throw new NotFound(`category "${category}" has no products`, 'category');
    const d = normaliseDiscount(discount);
    if (d) await CategoryDiscount.upsert({ category, discountType: d.type, discountValue: d.value });
    else await CategoryDiscount.destroy({ where: { category } });
    return { category, discount: d };
  }

  /** `/del`: hidden from customers; the row, its stock and its history stay. */
  async softDelete(id: number): Promise<ProductDetail> {
    await this.updateActive(id, { isActive: false });
    return this.detail(id);
  }

  private async updateActive(id: number, changes: Record<string, unknown>): Promise<void> {
    const [count] = await Product.update(changes, { where: { id, isActive: true } });
    if (count === 0) throw new NotFound(`product ${id} not found`, 'product');
  }
}
