import { Conflict, NotFound, type DomainError } from '@quickcart/kit';
import { startTestCatalog, type TestCatalog } from './harness';

let t: TestCatalog;
beforeAll(async () => {
  t = await startTestCatalog();
});
afterAll(() => t.close());

let seq = 0;
const invoice = () => `INVTEST${process.pid}${++seq}`;

async function productWithStock(count: number): Promise<number> {
  const { id } = await t.client.addProduct({ name: `Stocked ${++seq}`, price: 5_000 });
  await t.client.addStock(
    id,
    Array.from({ length: count }, (_, i) => `cred-${id}-${i}`),
  );
  return id;
}

async function statusCounts(productId: number): Promise<Record<string, number>> {
  const rows = await t.sql<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM catalog.stock_items WHERE product_id = $1 GROUP BY status',
    [productId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe('reserve, commit, release', () => {
  it('reserves, then commits: items sold, contents returned once committed, sold count raised', async () => {
    const productId = await productWithStock(5);
    const inv = invoice();
    const r = await t.worker.reserve({ invoiceId: inv, productId, quantity: 3 });
    expect(r).toMatchObject({ invoiceId: inv, productId, quantity: 3, status: 'reserved' });
    expect(r.itemIds).toHaveLength(3);
    expect(await t.client.product(productId)).toMatchObject({ stock: 2, reservedStock: 3, soldCount: 0 });
    await expect(t.worker.committedItems(inv)).rejects.toBeInstanceOf(Conflict);

    const committed = await t.worker.commit(inv);
    expect(committed).toMatchObject({ status: 'committed', itemIds: r.itemIds });
    expect(committed).not.toHaveProperty('items');
    const delivered = await t.worker.committedItems(inv);
    expect(delivered.items.map((i) => i.content)).toEqual([
      `cred-${productId}-0`,
      `cred-${productId}-1`,
      `cred-${productId}-2`,
    ]);
    expect(await t.client.product(productId)).toMatchObject({ stock: 2, reservedStock: 0, soldCount: 3 });
    expect(await statusCounts(productId)).toEqual({ available: 2, sold: 3 });
  });

  it('repeats each step with the same answer (idempotent by invoice id)', async () => {
    const productId = await productWithStock(4);
    const inv = invoice();
    const first = await t.worker.reserve({ invoiceId: inv, productId, quantity: 2 });
    const again = await t.worker.reserve({ invoiceId: inv, productId, quantity: 2 });
    expect(again).toEqual(first);
    await t.worker.commit(inv);
    await t.worker.commit(inv);
    expect((await t.client.product(productId)).soldCount).toBe(2); // raised once
    expect(await t.worker.reserve({ invoiceId: inv, productId, quantity: 2 })).toMatchObject({
      status: 'committed',
    });
  });

  it('releases: items back on sale, repeat is harmless, a released invoice cannot be committed', async () => {
    const productId = await productWithStock(3);
    const inv = invoice();
    await t.worker.reserve({ invoiceId: inv, productId, quantity: 3 });
    expect((await t.worker.release(inv)).status).toBe('released');
    expect((await t.worker.release(inv)).status).toBe('released');
    expect(await statusCounts(productId)).toEqual({ available: 3 });
    await expect(t.worker.commit(inv)).rejects.toMatchObject({ reason: 'reservation_released' });
    await expect(t.worker.reserve({ invoiceId: inv, productId, quantity: 3 })).rejects.toBeInstanceOf(
      Conflict,
    );
  });

  it('refuses to release a sold reservation', async () => {
    const productId = await productWithStock(1);
    const inv = invoice();
    await t.worker.reserve({ invoiceId: inv, productId, quantity: 1 });
    await t.worker.commit(inv);
    await expect(t.worker.release(inv)).rejects.toMatchObject({ reason: 'reservation_committed' });
    expect(await statusCounts(productId)).toEqual({ sold: 1 });
  });

  it('holds nothing when the stock cannot fully meet the quantity', async () => {
    const productId = await productWithStock(2);
    const inv = invoice();
    const error = (await t.worker
      .reserve({ invoiceId: inv, productId, quantity: 3 })
      .catch((e) => e)) as DomainError;
    expect(error).toBeInstanceOf(Conflict);
    expect(error.reason).toBe('out_of_stock');
    expect(error.details).toEqual({ available: 2, requested: 3 });
    expect(await statusCounts(productId)).toEqual({ available: 2 });
    await expect(t.worker.reservation(inv)).rejects.toBeInstanceOf(NotFound);
  });

  it('refuses an invoice reused for another product or quantity', async () => {
    const productId = await productWithStock(3);
    const inv = invoice();
    await t.worker.reserve({ invoiceId: inv, productId, quantity: 1 });
    await expect(t.worker.reserve({ invoiceId: inv, productId, quantity: 2 })).rejects.toMatchObject({
      reason: 'invoice_reused',
    });
  });

  it('refuses a freshly drawn invoice id that already holds a reservation, leaving that one alone', async () => {
    const productId = await productWithStock(3);
    const inv = invoice();
    const theirs = await t.worker.reserve({ invoiceId: inv, productId, quantity: 1 });
    await expect(
      t.worker.reserve({ invoiceId: inv, productId, quantity: 1, fresh: true }),
    ).rejects.toMatchObject({ reason: 'invoice_taken' });
    expect(await t.worker.reservation(inv)).toEqual(theirs);
    expect(await statusCounts(productId)).toEqual({ available: 2, reserved: 1 });
  });

  it('refuses bad input and unknown things', async () => {
    const productId = await productWithStock(1);
    for (const body of [
      { invoiceId: 'INV 1', productId, quantity: 1 },
      { invoiceId: 'INV1', productId, quantity: 0 },
      { invoiceId: 'INV1', productId: 'x', quantity: 1 },
      { productId, quantity: 1 },
    ]) {
      expect((await t.raw('POST', '/reservations', body, 'worker')).status).toBe(400);
    }
    await expect(
      t.worker.reserve({ invoiceId: invoice(), productId: 999_999, quantity: 1 }),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(t.worker.commit('INVNOPE')).rejects.toBeInstanceOf(NotFound);
    await expect(t.worker.release('INVNOPE')).rejects.toBeInstanceOf(NotFound);
  });
});

describe('a release that comes before its reserve (issue 18)', () => {
  it('leaves a tombstone: the reserve that arrives later for that invoice is refused and holds nothing', async () => {
    const productId = await productWithStock(3);
    const inv = invoice();
    // The run gave back what its order held while its reserve was still on its way (stalled past
    // checkout's deadline): nothing to release yet, but the invoice is closed for good.
    await expect(t.worker.release(inv)).rejects.toBeInstanceOf(NotFound);
    await expect(t.worker.reserve({ invoiceId: inv, productId, quantity: 2 })).rejects.toMatchObject({
      reason: 'reservation_released',
    });
    expect(await statusCounts(productId)).toEqual({ available: 3 });
  });

  it('releases a reserve that was in flight when the release came, never leaving it held', async () => {
    const productId = await productWithStock(20);
    const invoices = Array.from({ length: 10 }, invoice);
    await Promise.all(
      invoices.map(async (inv) => {
        const reserving = t.worker.reserve({ invoiceId: inv, productId, quantity: 1 }).catch(() => undefined);
        await t.worker.release(inv).catch(() => undefined);
        await reserving;
      }),
    );
    // Whichever came first, no invoice keeps stock after its release.
    expect(await statusCounts(productId)).toEqual({ available: 20 });
  });
});

describe('concurrent buyers', () => {
  it('200 single-item reservations against 50 items: exactly 50 succeed, no item twice, nothing lost', async () => {
    const productId = await productWithStock(50);
    const invoices = Array.from({ length: 200 }, () => invoice());
    const results = await Promise.allSettled(
      invoices.map((inv) => t.worker.reserve({ invoiceId: inv, productId, quantity: 1 })),
    );

    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as DomainError] : []));
    expect(won).toHaveLength(50);
    expect(lost).toHaveLength(150);
    expect(lost.every((e) => e instanceof Conflict && e.reason === 'out_of_stock')).toBe(true);

    const items = won.flatMap((r) => r.itemIds);
    expect(new Set(items).size).toBe(50); // no item in two reservations

    // Sell half, leave half reserved: sold + reserved + available still equals what was added.
    await Promise.all(won.slice(0, 25).map((r) => t.worker.commit(r.invoiceId)));
    const counts = await statusCounts(productId);
    expect(counts).toEqual({ sold: 25, reserved: 25 });
    const [{ held }] = await t.sql<{ held: number }>(
      'SELECT count(DISTINCT invoice_id)::int AS held FROM catalog.stock_items WHERE product_id = $1',
      [productId],
    );
    expect(held).toBe(50);

    // Repeating a reserve with the same invoice id returns the same items.
    const again = await t.worker.reserve({ invoiceId: won[30].invoiceId, productId, quantity: 1 });
    expect(again.itemIds).toEqual(won[30].itemIds);
  });

  it('does not report out of stock while another buyer holds rows it then gives back', async () => {
    const productId = await productWithStock(3);
    // Another buyer's open transaction (the harness's own connection) holds all three rows, then rolls back.
    await t.sql('BEGIN');
    await t.sql(
      "SELECT id FROM catalog.stock_items WHERE product_id = $1 AND status = 'available' FOR UPDATE",
      [productId],
    );
    const pending = t.worker.reserve({ invoiceId: invoice(), productId, quantity: 2 });
    await new Promise((r) => setTimeout(r, 300));
    await t.sql('ROLLBACK');
    const r = await pending;
    expect(r.itemIds).toHaveLength(2);
    expect(await statusCounts(productId)).toEqual({ available: 1, reserved: 2 });
  });

  it('serialises duplicate concurrent reserves for one invoice into one reservation', async () => {
    const productId = await productWithStock(10);
    const inv = invoice();
    const all = await Promise.all(
      Array.from({ length: 10 }, () => t.worker.reserve({ invoiceId: inv, productId, quantity: 2 })),
    );
    expect(new Set(all.map((r) => r.itemIds.join()))).toEqual(new Set([all[0].itemIds.join()]));
    expect(await statusCounts(productId)).toEqual({ available: 8, reserved: 2 });
  });
});
