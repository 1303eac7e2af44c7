import { Conflict, NotFound } from '@quickcart/kit';
import { startTestCatalog, type TestCatalog } from './harness';

let t: TestCatalog;
beforeAll(async () => {
  t = await startTestCatalog();
});
afterAll(() => t.close());

const newProduct = async (name: string) => (await t.client.addProduct({ name, price: 10_000 })).id;

describe('adding stock (/addstock)', () => {
  it('adds one item a line and reports blank lines and duplicates by line number', async () => {
    const id = await newProduct('Bulk');
    const first = await t.client.addStock(id, [
      'akun1:pass1',
      '',
      'akun2:pass2',
      'akun1:pass1',
      '   ',
      'akun3:pass3\r',
    ]);
    expect(first).toEqual({
      added: 3,
      skipped: [
        { line: 2, reason: 'blank' },
        { line: 4, reason: 'duplicate' },
        { line: 5, reason: 'blank' },
      ],
      stock: 3,
    });
    // A line already on sale is a duplicate too.
    const second = await t.client.addStock(id, ['akun2:pass2', 'akun4:pass4']);
    expect(second).toEqual({ added: 1, skipped: [{ line: 1, reason: 'duplicate' }], stock: 4 });
    const rows = await t.sql<{ content: string }>(
      'SELECT content FROM catalog.stock_items WHERE product_id = $1 ORDER BY created_at, id',
      [id],
    );
    expect(rows.map((r) => r.content)).toEqual(['akun1:pass1', 'akun2:pass2', 'akun3:pass3', 'akun4:pass4']);
  });

  it('takes 1,000 lines in one call with counts that match the database', async () => {
    const id = await newProduct('Thousand');
    const lines = Array.from({ length: 1000 }, (_, i) =>
      i % 10 === 0 ? '' : i % 10 === 5 ? 'dup' : `item-${i}`,
    );
    const result = await t.client.addStock(id, lines);
    const [{ count }] = await t.sql<{ count: number }>(
      "SELECT count(*)::int AS count FROM catalog.stock_items WHERE product_id = $1 AND status = 'available'",
      [id],
    );
    expect(result.added).toBe(count);
    expect(result.added).toBe(801); // 800 unique items + one 'dup'
    expect(result.skipped.filter((s) => s.reason === 'blank')).toHaveLength(100);
    expect(result.skipped.filter((s) => s.reason === 'duplicate')).toHaveLength(99);
  });

  it('keeps quotes, colons and unicode in contents exactly', async () => {
    const id = await newProduct('Odd chars');
    const line = `user:'p"a\\ss':kunci ✓ :id`;
    await t.client.addStock(id, [line]);
    expect((await t.client.exportStock(id)).items.map((i) => i.content)).toEqual([line]);
  });

  it('refuses an unknown product, an empty list and a non-list', async () => {
    await expect(t.client.addStock(999_999, ['x'])).rejects.toBeInstanceOf(NotFound);
    const id = await newProduct('Bad stock');
    expect((await t.raw('POST', `/products/${id}/stock`, { lines: [] })).status).toBe(400);
    const res = await t.raw('POST', `/products/${id}/stock`, { lines: 'a\nb' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('lines');
  });

  it('refuses a line with a NUL character, naming it, instead of storing a different item', async () => {
    const id = await newProduct('NUL stock');
    const res = await t.raw('POST', `/products/${id}/stock`, { lines: ['good:1', 'bad\u0000:2'] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('lines.1');
    expect(res.body.message).toContain('NUL');
    expect((await t.client.exportStock(id)).items).toEqual([]);
  });
});

describe('deleting and exporting stock', () => {
  it('deletes one available item (/delstock) but not a reserved one', async () => {
    const id = await newProduct('Del one');
    await t.client.addStock(id, ['d1', 'd2']);
    const { items } = await t.client.exportStock(id);
    await t.client.deleteStockItem(id, items[0].id);
    expect((await t.client.product(id)).stock).toBe(1);
    await expect(t.client.deleteStockItem(id, items[0].id)).rejects.toBeInstanceOf(NotFound);
    await t.worker.reserve({ invoiceId: 'INVDEL1', productId: id, quantity: 1 });
    await expect(t.client.deleteStockItem(id, items[1].id)).rejects.toBeInstanceOf(Conflict);
    const res = await t.raw('DELETE', `/products/${id}/stock/not-a-uuid`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('itemId');
  });

  it('deletes all available stock (/delallstock) and keeps reserved items', async () => {
    const id = await newProduct('Del all');
    await t.client.addStock(id, ['a1', 'a2', 'a3']);
    await t.worker.reserve({ invoiceId: 'INVDELALL', productId: id, quantity: 1 });
    expect(await t.client.deleteAllStock(id)).toEqual({ deleted: 2, keptReserved: 1 });
    const rows = await t.sql('SELECT status FROM catalog.stock_items WHERE product_id = $1', [id]);
    expect(rows).toEqual([{ status: 'reserved' }]);
    await expect(t.client.deleteAllStock(999_999)).rejects.toBeInstanceOf(NotFound);
  });

  it('exports unsold items oldest first (/exportstock), not sold ones', async () => {
    const id = await newProduct('Export');
    await t.client.addStock(id, ['e1', 'e2', 'e3']);
    await t.worker.reserve({ invoiceId: 'INVEXP', productId: id, quantity: 1 });
    await t.worker.commit('INVEXP');
    const exported = await t.client.exportStock(id);
    expect(exported.items.map((i) => [i.content, i.status])).toEqual([
      ['e2', 'available'],
      ['e3', 'available'],
    ]);
    await expect(t.client.exportStock(999_999)).rejects.toBeInstanceOf(NotFound);
  });

  it('exports only available items: one a pending invoice reserved stays with that invoice', async () => {
    const id = await newProduct('Export held');
    await t.client.addStock(id, ['h1', 'h2', 'h3']);
    await t.worker.reserve({ invoiceId: 'INVEXPHELD', productId: id, quantity: 2 });
    const exported = await t.client.exportStock(id);
    expect(exported.items.map((i) => [i.content, i.status])).toEqual([['h3', 'available']]);
    expect(await t.client.product(id)).toMatchObject({ stock: 1, reservedStock: 2 });
  });
});
