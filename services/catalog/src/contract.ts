/**
 * The catalog's public face: every request and answer of its HTTP API as a zod schema. Other packages
 * import this file and client.ts, nothing else of the service.
 */
import { rupiah } from '@quickcart/kit';
import { z } from 'zod';

export const PAGE_SIZE = 10; // docs/features.md §2.3: lists show 10 products a page
export const DEFAULT_CATEGORY = 'Tanpa Kategori';
export const DEFAULT_DESCRIPTION = 'no description';

export const productId = z.coerce.number().int().positive().max(2_147_483_647);
export const role = z.enum(['customer', 'reseller']);
export type Role = z.infer<typeof role>;

/** Whose prices a user sees: resellers their own, everyone else (admins included) the customer's. */
export const priceRoleOf = (user: { role: string }): Role =>
  user.role === 'reseller' ? 'reseller' : 'customer';

/**
 * Why the catalog refuses (the `reason` of its 404s and 409s): callers compare against these, and the
 * gateway words each for the person who asked.
 */
export const CATALOG_REFUSAL = {
  product: 'product',
  category: 'category',
  stockItem: 'stock_item',
  reservation: 'reservation',
  outOfStock: 'out_of_stock',
  idTaken: 'id_taken',
  stockItemHeld: 'stock_item_held',
  invoiceTaken: 'invoice_taken',
  invoiceReused: 'invoice_reused',
  reservationReleased: 'reservation_released',
  reservationCommitted: 'reservation_committed',
  notCommitted: 'not_committed',
} as const;
export const invoiceId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, _ or -');

export const discount = z
  .object({ type: z.enum(['percent', 'nominal']), value: rupiah.min(0) })
  .refine((d) => d.type !== 'percent' || d.value <= 100, {
    message: 'a percent discount is 0-100',
    path: ['value'],
  });
export type Discount = z.infer<typeof discount>;
/** The price rule, for a caller that shows a price before it changes (an admin's /disc preview). */
export { normaliseDiscount, priceFor } from './pricing';

const name = z.string().trim().min(1, 'required').max(200);
const category = z.string().trim().min(1).max(100);
const description = z.string().trim().max(4000);

// ---------- reads ----------

export const productSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  category: z.string(),
  /** The price the asking role pays, discounts applied. */
  price: rupiah,
  /** The role's price before discounts; equal to price when no discount applies. */
  originalPrice: rupiah,
  stock: z.number().int(),
  soldCount: z.number().int(),
});
export type ProductSummary = z.infer<typeof productSummary>;

export const productDetail = productSummary.extend({
  description: z.string(),
  customerPrice: rupiah,
  resellerPrice: rupiah.nullable(),
  discount: discount.nullable(),
  categoryDiscount: discount.nullable(),
  reservedStock: z.number().int(),
  isActive: z.boolean(),
  /** The product's picture, a Telegram file id (/setimage, docs/features.md §2.4); null: text only. */
  imageFileId: z.string().nullable(),
});
export type ProductDetail = z.infer<typeof productDetail>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    totalItems: z.number().int(),
    totalPages: z.number().int(),
  });
}
export const productPage = pageOf(productSummary);
export type ProductPage = z.infer<typeof productPage>;

/** A customer's typed word: what the bot searches for; longer text is no search (docs/features.md §2.3). */
export const SEARCH_MAX_LENGTH = 40;
// Control characters are no word (and PostgreSQL refuses NUL in text): such input is not searched.
// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
export const searchTerm = z.string().trim().min(1).max(SEARCH_MAX_LENGTH).regex(NO_CONTROL_CHARACTERS);

export const listProductsQuery = z.object({
  role: role.default('customer'),
  page: z.coerce.number().int().positive().default(1),
  pageSize: z.coerce.number().int().positive().max(100).default(PAGE_SIZE),
  category: category.optional(),
  inStock: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Products whose name or category contains it, any case (docs/features.md §2.3, search). */
  search: searchTerm.optional(),
});
export interface ListProductsQuery {
  role?: Role;
  page?: number;
  pageSize?: number;
  category?: string;
  inStock?: boolean;
  search?: string;
}

export const bestSellersQuery = z.object({
  role: role.default('customer'),
  limit: z.coerce.number().int().positive().max(50).default(10),
});

export const productQuery = z.object({
  role: role.default('customer'),
  includeInactive: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});

export const categorySummary = z.object({ name: z.string(), productCount: z.number().int() });
export const categoryList = z.object({ items: z.array(categorySummary) });

// ---------- admin writes ----------

export const addProductBody = z.object({
  /** Absent or null: the smallest free positive id. */
  id: productId.nullish(),
  name,
  category: category.nullish(),
  price: rupiah.positive(),
  resellerPrice: rupiah.positive().nullish(),
  description: description.nullish(),
});
export type AddProductBody = z.input<typeof addProductBody>;

export const editProductBody = z
  .object({
    name: name.optional(),
    category: category.optional(),
    description: description.optional(),
    price: rupiah.positive().optional(),
    /** null clears the reseller price. */
    resellerPrice: rupiah.positive().nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type EditProductBody = z.input<typeof editProductBody>;

export const changeIdBody = z.object({ newId: productId });
export const soldCountBody = z.object({ delta: z.number().int().safe() });
/** A value of 0 clears the discount (`/disc 101|0`). */
export const setDiscountBody = discount;

/**
 * One stock item a line. A NUL character cannot be stored by PostgreSQL (the driver would write `\0`
 * instead, a different item than the seller typed), so a line holding one is refused, by line number.
 */
const stockLine = z
  .string()
  .max(4000)
  .refine((line) => !line.includes('\u0000'), 'contains a NUL character (\\0); remove it and send again');
export const addStockBody = z.object({ lines: z.array(stockLine).min(1).max(20_000) });
export const addStockResult = z.object({
  added: z.number().int(),
  skipped: z.array(z.object({ line: z.number().int(), reason: z.enum(['blank', 'duplicate']) })),
  stock: z.number().int(),
});
export type AddStockResult = z.infer<typeof addStockResult>;

export const stockItemStatus = z.enum(['available', 'reserved', 'sold']);
export const deleteAllStockResult = z.object({ deleted: z.number().int(), keptReserved: z.number().int() });
export const deleteStockItemResult = z.object({ deleted: z.literal(1) });
export const stockExport = z.object({
  productId: z.number().int(),
  items: z.array(z.object({ id: z.string(), content: z.string(), status: stockItemStatus })),
});
export type StockExport = z.infer<typeof stockExport>;

// ---------- reservations ----------

export const reserveBody = z.object({
  invoiceId,
  productId,
  quantity: z.number().int().positive().max(1000),
  /**
   * The caller has just drawn this invoice id: a reservation already under it is another invoice's, so
   * it is refused (409 invoice_taken) instead of answered as this call's own.
   */
  fresh: z.boolean().optional(),
});
export type ReserveBody = z.input<typeof reserveBody>;

export const reservationStatus = z.enum(['reserved', 'committed', 'released']);
export const reservation = z.object({
  invoiceId: z.string(),
  productId: z.number().int(),
  quantity: z.number().int(),
  status: reservationStatus,
  itemIds: z.array(z.string()),
});
export type Reservation = z.infer<typeof reservation>;

/**
 * Contents of a committed reservation. Commit itself answers without them: they go from catalog to the
 * customer in the delivery step and never enter workflow history (docs/architecture.md §7.3).
 */
export const committedReservation = reservation.extend({
  items: z.array(z.object({ id: z.string(), content: z.string() })),
});
export type CommittedReservation = z.infer<typeof committedReservation>;

/**
 * Reservations still holding stock after `olderThanSeconds`, by invoice id after `after`: the orders
 * service releases those whose order does not exist or has closed (its orphan sweep).
 */
export const heldReservationsQuery = z.object({
  olderThanSeconds: z.coerce.number().int().positive(),
  after: invoiceId.optional(),
  limit: z.coerce.number().int().positive().max(500).default(100),
});
export type HeldReservationsQuery = z.input<typeof heldReservationsQuery>;
export const heldReservationPage = z.object({
  items: z.array(
    z.object({
      invoiceId: z.string(),
      productId: z.number().int(),
      quantity: z.number().int(),
      reservedAt: z.string(),
    }),
  ),
});
export type HeldReservationPage = z.infer<typeof heldReservationPage>;

/** The header naming the admin an admin write is for (their Telegram id); audited as the actor. */
export const ACTOR_HEADER = 'x-actor';

/** /setimage: a Telegram file id for the product's picture, or null to remove it. */
export const setImageBody = z.object({ fileId: z.string().min(1).max(200).nullable() });
