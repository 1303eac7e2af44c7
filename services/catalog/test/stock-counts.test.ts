import { connectSequelize, createTestDatabase, migrate } from '@quickcart/db';
import { internalAuthHeader, type DomainError } from '@quickcart/kit';
import { catalogMigrations } from '../src/db/migrations';
import { startTestCatalog, type TestCatalog } from './harness';

let t: TestCatalog;
beforeAll(async () => {
  t = await startTestCatalog();
});
afterAll(() => t.close());

let seq = 0;
const invoice = () => `INVCOUNT${process.pid}${++seq}`;

async function productWithStock(count: number): Promise<number> {
  const { id } = await t.client.addProduct({ name: `Counted ${++seq}`, price: 5_000 });
  if (count > 0)
    await t.client.addStock(
      id,
      Array.from({ length: count }, (_, i) => `count-${id}-${i}`),
    );
  return id;
}

interface Counts {
  available: number;
  reserved: number;
}

/** The counts kept on the product row beside a fresh count of its stock rows. */
async function stockOf(productId: number): Promise<{ kept: Counts; counted: Counts }> {
  const [row] = await t.sql<{ a: number; r: number; ca: number; cr: number }>(
    `SELECT p.stock_available AS a, p.stock_reserved AS r,
            (SELECT count(*)::int FROM catalog.stock_items s WHERE s.product_id = p.id AND s.status = 'available') AS ca,
            (SELECT count(*)::int FROM catalog.stock_items s WHERE s.product_id = p.id AND s.status = 'reserved') AS cr
       FROM catalog.products p WHERE p.id = $1`,
    [productId],
  );
  return { kept: { available: row.a, reserved: row.r }, counted: { available: row.ca, reserved: row.cr } };
}

const both = (available: number, reserved: number) => ({
  kept: { available, reserved },
  counted: { available, reserved },
});

/** Until `n` backends of this test's database wait on a lock (the harness's connection is not one). */
async function lockWaiters(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    // The harness's connection may be inside a transaction, which would keep one snapshot of the view.
    await t.sql('SELECT pg_stat_clear_snapshot()');
    const [{ waiting }] = await t.sql<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never saw ${n} backends waiting on a lock`);
}

let freeId = 9_000;
const unusedId = () => ++freeId;

describe('the stock counts kept on the product row', () => {
  it('equal a fresh count after every kind of stock move', async () => {
    const id = await productWithStock(6);
    expect(await stockOf(id)).toEqual(both(6, 0));

    const one = invoice();
    await t.worker.reserve({ invoiceId: one, productId: id, quantity: 1 });
    expect(await stockOf(id)).toEqual(both(5, 1));

    const three = invoice();
    await t.worker.reserve({ invoiceId: three, productId: id, quantity: 3 });
    expect(await stockOf(id)).toEqual(both(2, 4));

    await t.worker.release(one);
    expect(await stockOf(id)).toEqual(both(3, 3));

    await t.worker.commit(three);
    expect(await stockOf(id)).toEqual(both(3, 0));

    const { items } = await t.client.exportStock(id);
    await t.client.deleteStockItem(id, items[0].id);
    expect(await stockOf(id)).toEqual(both(2, 0));

    // A warranty replacement: one item reserved and sold under the claim's id.
    const claim = `${invoice()}-1`;
    await t.worker.reserve({ invoiceId: claim, productId: id, quantity: 1 });
    await t.worker.commit(claim);
    expect(await stockOf(id)).toEqual(both(1, 0));

    // A release before its reserve leaves a tombstone; the late reserve holds nothing.
    const late = invoice();
    await t.worker.release(late).catch(() => undefined);
    await expect(t.worker.reserve({ invoiceId: late, productId: id, quantity: 1 })).rejects.toMatchObject({
      reason: 'reservation_released',
    });
    // A reserve the stock cannot meet holds nothing either.
    await expect(
      t.worker.reserve({ invoiceId: invoice(), productId: id, quantity: 5 }),
    ).rejects.toMatchObject({
      reason: 'out_of_stock',
    });
    expect(await stockOf(id)).toEqual(both(1, 0));

    // A duplicate of unsold stock is skipped, and counts nothing.
    expect(await t.client.addStock(id, ['more-1', 'more-2', `count-${id}-5`])).toMatchObject({
      added: 2,
      stock: 3,
    });
    expect(await stockOf(id)).toEqual(both(3, 0));

    const kept = invoice();
    await t.worker.reserve({ invoiceId: kept, productId: id, quantity: 1 });
    expect(await t.client.deleteAllStock(id)).toEqual({ deleted: 2, keptReserved: 1 });
    expect(await stockOf(id)).toEqual(both(0, 1));
    expect(await t.client.product(id)).toMatchObject({ stock: 0, reservedStock: 1 });

    await t.worker.release(kept);
    expect(await stockOf(id)).toEqual(both(1, 0));
    expect(await t.client.product(id)).toMatchObject({ stock: 1, reservedStock: 0, soldCount: 4 });
  });

  it('stay true under concurrent reserves, releases, sales and new stock from many connections', async () => {
    const id = await productWithStock(40);
    const first = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        t.worker.reserve({ invoiceId: invoice(), productId: id, quantity: i % 3 === 0 ? 3 : 1 }),
      ),
    );
    const won = first.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = first.flatMap((r) => (r.status === 'rejected' ? [r.reason as DomainError] : []));
    expect(lost.every((e) => e.reason === 'out_of_stock')).toBe(true);
    const held = won.reduce((sum, r) => sum + r.quantity, 0);
    expect(held).toBeGreaterThan(36); // at most one 3-item reserve short of all 40
    expect(await stockOf(id)).toEqual(both(40 - held, held));

    // Half sold, half given back, while more stock arrives and more buyers reserve.
    const sold = won.filter((_, i) => i % 2 === 0);
    const back = won.filter((_, i) => i % 2 === 1);
    await Promise.allSettled([
      ...sold.map((r) => t.worker.commit(r.invoiceId)),
      ...back.map((r) => t.worker.release(r.invoiceId)),
      t.client.addStock(
        id,
        Array.from({ length: 10 }, (_, i) => `late-${id}-${i}`),
      ),
      ...Array.from({ length: 20 }, () =>
        t.worker.reserve({ invoiceId: invoice(), productId: id, quantity: 1 }),
      ),
    ]);
    const after = await stockOf(id);
    expect(after.kept).toEqual(after.counted);
    const soldItems = sold.reduce((sum, r) => sum + r.quantity, 0);
    expect(after.kept.available + after.kept.reserved).toBe(50 - soldItems);
  });

  it('follow the product when an admin changes its id (/editid)', async () => {
    const id = await productWithStock(3);
    await t.worker.reserve({ invoiceId: invoice(), productId: id, quantity: 1 });
    const newId = unusedId();
    expect(await t.client.changeProductId(id, newId)).toMatchObject({ stock: 2, reservedStock: 1 });
    expect(await stockOf(newId)).toEqual(both(2, 1));
    await t.worker.reserve({ invoiceId: invoice(), productId: newId, quantity: 2 });
    expect(await stockOf(newId)).toEqual(both(0, 3));
  });

  it('are what the stock gauge shows', async () => {
    const id = await productWithStock(4);
    await t.worker.reserve({ invoiceId: invoice(), productId: id, quantity: 1 });
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: internalAuthHeader(t.tokens.metrics) });
    const text = await res.text();
    expect(text).toContain(`quickcart_stock_items{product="${id}",state="available"} 3`);
    expect(text).toContain(`quickcart_stock_items{product="${id}",state="reserved"} 1`);
  });

  it('are refused below zero by the database', async () => {
    const id = await productWithStock(0);
    await expect(
      t.sql('UPDATE catalog.products SET stock_available = -1 WHERE id = $1', [id]),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('an id change meeting a stock move of the same product', () => {
  // Each case: another transaction holds the row the move needs first, so the move waits at its start;
  // the id change comes next; then the row is let go. Neither may deadlock the other.
  // A case that failed before its COMMIT must not leave the harness's connection inside its transaction.
  afterEach(() => t.sql('ROLLBACK'));
  it('lets a sale commit and the id change finish, the counts following the product', async () => {
    const id = await productWithStock(3);
    const inv = invoice();
    await t.worker.reserve({ invoiceId: inv, productId: id, quantity: 2 });
    const newId = unusedId();
    await t.sql('BEGIN');
    await t.sql('SELECT 1 FROM catalog.reservations WHERE invoice_id = $1 FOR UPDATE', [inv]);
    const committing = t.worker.commit(inv);
    await lockWaiters(1);
    const moving = t.client.changeProductId(id, newId);
    await lockWaiters(2);
    await t.sql('COMMIT');
    await expect(committing).resolves.toMatchObject({ status: 'committed' });
    await expect(moving).resolves.toMatchObject({ id: newId });
    expect(await t.client.product(newId)).toMatchObject({ stock: 1, reservedStock: 0, soldCount: 2 });
    expect(await stockOf(newId)).toEqual(both(1, 0));
  });

  it('lets a release and the id change finish, the counts following the product', async () => {
    const id = await productWithStock(3);
    const inv = invoice();
    await t.worker.reserve({ invoiceId: inv, productId: id, quantity: 2 });
    const newId = unusedId();
    await t.sql('BEGIN');
    await t.sql('SELECT 1 FROM catalog.reservations WHERE invoice_id = $1 FOR UPDATE', [inv]);
    const releasing = t.worker.release(inv);
    await lockWaiters(1);
    const moving = t.client.changeProductId(id, newId);
    await lockWaiters(2);
    await t.sql('COMMIT');
    await expect(releasing).resolves.toMatchObject({ status: 'released' });
    await expect(moving).resolves.toMatchObject({ id: newId });
    expect(await stockOf(newId)).toEqual(both(3, 0));
  });

  it('lets a /delstock and the id change finish, the counts following the product', async () => {
    const id = await productWithStock(3);
    const { items } = await t.client.exportStock(id);
    const newId = unusedId();
    await t.sql('BEGIN');
    await t.sql('SELECT 1 FROM catalog.stock_items WHERE id = $1 FOR UPDATE', [items[0].id]);
    const deleting = t.client.deleteStockItem(id, items[0].id);
    await lockWaiters(1);
    const moving = t.client.changeProductId(id, newId);
    await lockWaiters(2);
    await t.sql('COMMIT');
    const outcomes = await Promise.allSettled([deleting, moving]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await stockOf(newId)).toEqual(both(2, 0));
  });
});

describe('a database from before the counts were kept', () => {
  it('gets them from its stock rows when migrated', async () => {
    const db = await createTestDatabase('catalog_counts');
    const sequelize = connectSequelize({ url: db.url, models: [], applicationName: 'catalog-test' });
    try {
      const before = catalogMigrations.findIndex((m) => m.name === '0006-stock-counts');
      expect(before).toBeGreaterThan(0);
      await migrate(sequelize, 'catalog_migrations', catalogMigrations.slice(0, before));
      await sequelize.query(`
        INSERT INTO catalog.products (id, name, customer_price) VALUES (1, 'Old', 1000), (2, 'Empty', 1000);
        INSERT INTO catalog.stock_items (product_id, content, status, invoice_id, sold_at) VALUES
          (1, 'a', 'available', NULL, NULL), (1, 'b', 'available', NULL, NULL),
          (1, 'c', 'reserved', 'INVOLD', NULL), (1, 'd', 'sold', 'INVSOLD', now())`);
      await migrate(sequelize, 'catalog_migrations', catalogMigrations);
      const [rows] = await sequelize.query(
        'SELECT id, stock_available, stock_reserved FROM catalog.products ORDER BY id',
      );
      expect(rows).toEqual([
        { id: 1, stock_available: 2, stock_reserved: 1 },
        { id: 2, stock_available: 0, stock_reserved: 0 },
      ]);
      // From now on the triggers keep them.
      await sequelize.query(`INSERT INTO catalog.stock_items (product_id, content) VALUES (2, 'e')`);
      const [[empty]] = await sequelize.query('SELECT stock_available FROM catalog.products WHERE id = 2');
      expect(empty).toEqual({ stock_available: 1 });
    } finally {
      await sequelize.close();
      await db.drop();
    }
  });
});
