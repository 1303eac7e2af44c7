import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';

/**
 * The order in which every transaction that touches a product's stock takes its row locks, so no two
 * of them wait on each other in a circle (docs/architecture.md §7.5):
 *
 * 1. reservation rows: the invoice's own (commit, release), or every one of the product (an id change);
 * 2. the product row: KEY SHARE for a stock move, FOR UPDATE for an id change, whose ON UPDATE CASCADE
 *    then rewrites the product's stock and reservation rows;
 * 3. stock rows;
 * 4. the product row again: the stock triggers add the statement's changes to its counts
 *    (db/stock-counts.ts).
 *
 * KEY SHARE conflicts only with FOR UPDATE, so stock moves of one product never queue on step 2, only
 * an id change does; without step 2 a move holding stock rows and an id change holding the product row
 * would each wait for the other at step 4 and step 3. A reserve, and new stock, get step 2 from their
 * insert's foreign key to the product, before any existing stock row is locked.
 */
/** Step 2 of a stock move; false when the product is not (or no longer) there under this id. */
export async function lockProductForStockMove(
  sequelize: Sequelize,
  productId: number,
  transaction: Transaction,
): Promise<boolean> {
  const found = await sequelize.query('SELECT 1 FROM catalog.products WHERE id = :productId FOR KEY SHARE', {
    replacements: { productId },
    type: QueryTypes.SELECT,
    transaction,
  });
  return found.length > 0;
}

/** Steps 1 and 2 for an id change: every reservation of the product, in invoice order, then the product. */
export async function lockProductForIdChange(
  sequelize: Sequelize,
  productId: number,
  transaction: Transaction,
): Promise<void> {
  await sequelize.query(
    'SELECT 1 FROM catalog.reservations WHERE product_id = :productId ORDER BY invoice_id FOR UPDATE',
    { replacements: { productId }, transaction },
  );
  await sequelize.query('SELECT 1 FROM catalog.products WHERE id = :productId FOR UPDATE', {
    replacements: { productId },
    transaction,
  });
}
