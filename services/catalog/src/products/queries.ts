import { NotFound } from '@quickcart/kit';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import {
  CATALOG_REFUSAL,
  type Discount,
  type ProductDetail,
  type ProductPage,
  type ProductSummary,
  type Role,
} from '../contract';
import { priceFor } from '../pricing';

/** One product row, its stock counts included, joined with its category discount. */
interface ProductRow {
  id: number;
  name: string;
  description: string;
  category: string;
  customer_price: number;
  reseller_price: number | null;
  discount_type: Discount['type'] | null;
  discount_value: number | null;
  cat_discount_type: Discount['type'] | null;
  cat_discount_value: number | null;
  is_active: boolean;
  sold_count: number;
  image_file_id: string | null;
  available: number;
  reserved: number;
}

// The stock counts are the product row's own, kept by the stock triggers (db/stock-counts.ts): a read
// counts no stock rows. Reserving still picks the rows themselves (stock/reservations.ts).
const selectProducts = (moreColumns = '') => `
  SELECT p.id, p.name, p.description, p.category, p.customer_price, p.reseller_price,
         p.discount_type, p.discount_value, p.is_active, p.sold_count, p.image_file_id,
         cd.discount_type AS cat_discount_type, cd.discount_value AS cat_discount_value,
         p.stock_available AS available, p.stock_reserved AS reserved${moreColumns}
    FROM catalog.products p
    LEFT JOIN catalog.category_discounts cd ON cd.category = p.category`;
const SELECT_PRODUCTS = selectProducts();
/** The same, each row with the count of every row the query matches (before LIMIT) as `total`. */
const SELECT_PRODUCTS_COUNTED = selectProducts(', count(*) OVER () AS total');

const FILTERS = `p.is_active
  AND (CAST(:category AS text) IS NULL OR p.category = :category)
  AND (CAST(:pattern AS text) IS NULL OR p.name ILIKE :pattern ESCAPE '\\' OR p.category ILIKE :pattern ESCAPE '\\')
  AND (CAST(:inStock AS boolean) IS NOT TRUE OR p.stock_available > 0)`;

/**
 * `%…%` around the typed word, its own `%`, `_` and `\` escaped: "100%" finds "Diskon 100%", never every
 * product (docs/features.md §2.3, search).
 */
export const containsPattern = (word: string): string => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function discountOf(type: Discount['type'] | null, value: number | null): Discount | null {
  return type === null || value === null ? null : { type, value };
}

function toSummary(row: ProductRow, role: Role): ProductSummary {
  return {
    ...toPricing(row, role),
    id: row.id,
    name: row.name,
    category: row.category,
    stock: row.available,
    soldCount: row.sold_count,
  };
}

function toPricing(row: ProductRow, role: Role) {
  return priceFor(
    {
      customerPrice: row.customer_price,
      resellerPrice: row.reseller_price,
      discount: discountOf(row.discount_type, row.discount_value),
      categoryDiscount: discountOf(row.cat_discount_type, row.cat_discount_value),
    },
    role,
  );
}

/** The read side of the catalog: lists and details as customers see them. */
export class ProductQueries {
  constructor(private readonly sequelize: Sequelize) {}

  async list(q: {
    role: Role;
    page: number;
    pageSize: number;
    category?: string;
    inStock?: boolean;
    search?: string;
  }): Promise<ProductPage> {
    const filters = {
      category: q.category ?? null,
      inStock: q.inStock ?? null,
      pattern: q.search === undefined ? null : containsPattern(q.search),
    };
    // The page and the count of every match in one query: a round trip to PostgreSQL costs the catalog
    // more than the count does (bench, profiled). The window counts before LIMIT applies.
    const pageAt = (page: number) =>
      this.sequelize.query<ProductRow & { total: number }>(
        `${SELECT_PRODUCTS_COUNTED} WHERE ${FILTERS} ORDER BY p.id LIMIT :limit OFFSET :offset`,
        {
          replacements: { ...filters, limit: q.pageSize, offset: (page - 1) * q.pageSize },
          type: QueryTypes.SELECT,
        },
      );
    let page = q.page;
    let rows = await pageAt(page);
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && page > 1) {
      // A page button from an old message may point past the end now: show the last page instead.
      const [counted] = await this.sequelize.query<{ total: number }>(
        `SELECT count(*) AS total FROM catalog.products p WHERE ${FILTERS}`,
        { replacements: filters, type: QueryTypes.SELECT },
      );
      total = counted!.total;
      page = Math.max(1, Math.ceil(total / q.pageSize));
      if (total > 0) rows = await pageAt(page);
    }
    const totalPages = Math.max(1, Math.ceil(total / q.pageSize));
    return {
      items: rows.map((r) => toSummary(r, q.role)),
      page,
      pageSize: q.pageSize,
      totalItems: total,
      totalPages,
    };
  }

  async bestSellers(role: Role, limit: number): Promise<ProductSummary[]> {
    const rows = await this.sequelize.query<ProductRow>(
      `${SELECT_PRODUCTS} WHERE p.is_active AND p.sold_count > 0 ORDER BY p.sold_count DESC, p.id LIMIT :limit`,
      { replacements: { limit }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => toSummary(r, role));
  }

  async categories(): Promise<{ name: string; productCount: number }[]> {
    return this.sequelize.query<{ name: string; productCount: number }>(
      `SELECT category AS name, count(*) AS "productCount"
         FROM catalog.products WHERE is_active GROUP BY category ORDER BY category`,
      { type: QueryTypes.SELECT },
    );
  }

  async detail(id: number, role: Role, includeInactive = false): Promise<ProductDetail> {
    const [row] = await this.sequelize.query<ProductRow>(`${SELECT_PRODUCTS} WHERE p.id = :id`, {
      replacements: { id },
      type: QueryTypes.SELECT,
    });
    if (!row || (!row.is_active && !includeInactive))
      throw new NotFound(`product ${id} not found`, CATALOG_REFUSAL.product);
    return {
      ...toSummary(row, role),
      description: row.description,
      customerPrice: row.customer_price,
      resellerPrice: row.reseller_price,
      discount: discountOf(row.discount_type, row.discount_value),
      categoryDiscount: discountOf(row.cat_discount_type, row.cat_discount_value),
      reservedStock: row.reserved,
      isActive: row.is_active,
      imageFileId: row.image_file_id,
    };
  }
}
