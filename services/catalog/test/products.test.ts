import { Conflict, Invalid, NotFound } from '@quickcart/kit';
import { startTestCatalog, type TestCatalog } from './harness';

let t: TestCatalog;
beforeAll(async () => {
  t = await startTestCatalog();
});
afterAll(() => t.close());

describe('adding products (/add)', () => {
  it('uses the defaults for category and description and the smallest free id', async () => {
    await t.client.addProduct({ id: 1, name: 'Spotify', price: 20_000 });
    await t.client.addProduct({ id: 3, name: 'Canva', price: 15_000 });
    const p = await t.client.addProduct({ name: 'Netflix', price: 50_000 });
    expect(p).toMatchObject({
      id: 2,
      category: 'Tanpa Kategori',
      description: 'no description',
      price: 50_000,
      stock: 0,
    });
    const [row] = await t.sql(
      'SELECT category, description, customer_price FROM catalog.products WHERE id = 2',
    );
    expect(row).toEqual({
      category: 'Tanpa Kategori',
      description: 'no description',
      customer_price: 50_000,
    });
  });

  it('keeps an admin-chosen id, category and description', async () => {
    const p = await t.client.addProduct({
      id: 101,
      name: 'Netflix',
      category: 'Streaming',
      price: 50_000,
      description: 'Akun premium.',
    });
    expect(p).toMatchObject({
      id: 101,
      category: 'Streaming',
      description: 'Akun premium.',
      customerPrice: 50_000,
    });
  });

  it('refuses an id that is taken with 409', async () => {
    await expect(t.client.addProduct({ id: 101, name: 'Again', price: 1 })).rejects.toBeInstanceOf(Conflict);
  });

  it('gives two products added at once two different ids', async () => {
    const [a, b] = await Promise.all([
      t.client.addProduct({ name: 'Auto A', price: 1_000 }),
      t.client.addProduct({ name: 'Auto B', price: 1_000 }),
    ]);
    expect(a.id).not.toBe(b.id);
  });

  it.each([
    [{ name: 'x', price: 0 }, 'price'],
    [{ name: 'x', price: -5 }, 'price'],
    [{ name: 'x', price: 10.5 }, 'price'],
    [{ name: 'x', price: '100' }, 'price'],
    [{ name: '', price: 100 }, 'name'],
    [{ price: 100 }, 'name'],
    [{ id: 0, name: 'x', price: 100 }, 'id'],
    [{ id: 'abc', name: 'x', price: 100 }, 'id'],
  ])('refuses %j with 400 naming the field', async (body, field) => {
    const res = await t.raw('POST', '/products', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(field);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await t.raw('POST', '/products', '{"name": "x", ');
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('malformed_json');
  });
});

describe('editing products', () => {
  it('moves a product to a category (/editcategory) and sets a reseller price (/priceress)', async () => {
    const { id } = await t.client.addProduct({ name: 'Youtube', price: 30_000 });
    await t.client.editProduct(id, { category: 'Streaming' });
    const p = await t.client.editProduct(id, { resellerPrice: 25_000 });
    expect(p).toMatchObject({ category: 'Streaming', resellerPrice: 25_000 });
    expect((await t.client.product(id, { role: 'reseller' })).price).toBe(25_000);
    expect((await t.client.product(id, { role: 'customer' })).price).toBe(30_000);
    expect((await t.client.editProduct(id, { resellerPrice: null })).resellerPrice).toBeNull();
  });

  it('refuses an empty edit and an unknown product', async () => {
    expect((await t.raw('PATCH', '/products/101', {})).status).toBe(400);
    await expect(t.client.editProduct(999_999, { name: 'x' })).rejects.toBeInstanceOf(NotFound);
  });

  it('changes a product id and carries its stock (/editid)', async () => {
    const { id } = await t.client.addProduct({ name: 'Move me', price: 1_000 });
    await t.client.addStock(id, ['m1', 'm2']);
    const moved = await t.client.changeProductId(id, 500);
    expect(moved).toMatchObject({ id: 500, stock: 2 });
    await expect(t.client.product(id)).rejects.toBeInstanceOf(NotFound);
    await expect(t.client.changeProductId(500, 101)).rejects.toBeInstanceOf(Conflict);
    expect((await t.raw('POST', '/products/500/change-id', { newId: -1 })).status).toBe(400);
  });

  it('adds to the sold count, never below zero (/editsold)', async () => {
    const { id } = await t.client.addProduct({ name: 'Sold', price: 1_000 });
    expect((await t.client.adjustSoldCount(id, 10)).soldCount).toBe(10);
    expect((await t.client.adjustSoldCount(id, -3)).soldCount).toBe(7);
    expect((await t.client.adjustSoldCount(id, -50)).soldCount).toBe(0);
    expect((await t.raw('POST', `/products/${id}/sold-count`, { delta: 1.5 })).status).toBe(400);
  });

  it('sets and clears a product discount (/disc)', async () => {
    const { id } = await t.client.addProduct({ name: 'Disc', price: 50_000 });
    expect(await t.client.setDiscount(id, { type: 'percent', value: 10 })).toMatchObject({
      price: 45_000,
      originalPrice: 50_000,
    });
    expect(await t.client.setDiscount(id, { type: 'nominal', value: 5_000 })).toMatchObject({
      price: 45_000,
    });
    expect(await t.client.setDiscount(id, { type: 'nominal', value: 0 })).toMatchObject({
      price: 50_000,
      discount: null,
    });
    expect((await t.raw('PUT', `/products/${id}/discount`, { type: 'percent', value: 150 })).status).toBe(
      400,
    );
    expect((await t.raw('PUT', `/products/${id}/discount`, { type: 'half', value: 1 })).status).toBe(400);
  });

  it('sets a category discount that applies to products without their own (/discat)', async () => {
    const a = await t.client.addProduct({ name: 'Cat A', category: 'Games', price: 10_000 });
    const b = await t.client.addProduct({ name: 'Cat B', category: 'Games', price: 20_000 });
    await t.client.setDiscount(b.id, { type: 'nominal', value: 1_000 });
    expect(await t.client.setCategoryDiscount('Games', { type: 'percent', value: 15 })).toEqual({
      category: 'Games',
      discount: { type: 'percent', value: 15 },
    });
    expect((await t.client.product(a.id)).price).toBe(8_500);
    expect((await t.client.product(b.id)).price).toBe(19_000);
    await t.client.setCategoryDiscount('Games', { type: 'percent', value: 0 });
    expect((await t.client.product(a.id)).price).toBe(10_000);
    await expect(t.client.setCategoryDiscount('Nope', { type: 'percent', value: 5 })).rejects.toBeInstanceOf(
      NotFound,
    );
  });

  it('soft-deletes a product: hidden from customers, kept for history (/del)', async () => {
    const { id } = await t.client.addProduct({ name: 'Gone', price: 1_000 });
    const deleted = await t.client.deleteProduct(id);
    expect(deleted.isActive).toBe(false);
    await expect(t.client.product(id)).rejects.toBeInstanceOf(NotFound);
    expect((await t.client.product(id, { includeInactive: true })).name).toBe('Gone');
    const all = await t.client.listProducts({ pageSize: 100 });
    expect(all.items.map((p) => p.id)).not.toContain(id);
    await expect(t.client.deleteProduct(id)).rejects.toBeInstanceOf(NotFound);
    expect((await t.raw('DELETE', '/products/abc')).status).toBe(400);
  });
});

describe('reading the catalog', () => {
  let fresh: TestCatalog;
  beforeAll(async () => {
    fresh = await startTestCatalog();
    for (let i = 1; i <= 23; i++) {
      await fresh.client.addProduct({
        id: i,
        name: `P${i}`,
        category: i % 2 ? 'Odd' : 'Even',
        price: 1_000 * i,
      });
    }
    await fresh.client.addStock(4, ['a', 'b', 'c']);
    await fresh.client.addStock(7, ['x']);
    await fresh.client.adjustSoldCount(7, 9);
    await fresh.client.adjustSoldCount(2, 30);
  });
  afterAll(() => fresh.close());

  it('pages every active product by 10, in id order', async () => {
    const p1 = await fresh.client.listProducts();
    expect(p1).toMatchObject({ page: 1, pageSize: 10, totalItems: 23, totalPages: 3 });
    expect(p1.items.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const p3 = await fresh.client.listProducts({ page: 3 });
    expect(p3.items.map((p) => p.id)).toEqual([21, 22, 23]);
    // Past the end: the last page, whole.
    expect(await fresh.client.listProducts({ page: 99 })).toMatchObject({
      page: 3,
      totalItems: 23,
      totalPages: 3,
    });
    expect((await fresh.client.listProducts({ page: 99 })).items.map((p) => p.id)).toEqual([21, 22, 23]);
    // Nothing matches: page 1 of 1, empty, whatever page was asked.
    const none = await fresh.client.listProducts({ search: 'tidak-ada', page: 2 });
    expect(none).toMatchObject({ page: 1, totalItems: 0, totalPages: 1, items: [] });
    expect(p1.items[3]).toMatchObject({ id: 4, name: 'P4', price: 4_000, stock: 3 });
  });

  it('lists only products with stock when asked (number buttons, /stock)', async () => {
    const page = await fresh.client.listProducts({ inStock: true, pageSize: 24 });
    expect(page.items.map((p) => [p.id, p.stock])).toEqual([
      [4, 3],
      [7, 1],
    ]);
  });

  it('lists categories that have active products, and a category’s products', async () => {
    expect((await fresh.client.categories()).items).toEqual([
      { name: 'Even', productCount: 11 },
      { name: 'Odd', productCount: 12 },
    ]);
    const even = await fresh.client.listProducts({ category: 'Even' });
    expect(even.totalItems).toBe(11);
    expect(even.items.every((p) => p.category === 'Even')).toBe(true);
  });

  it('ranks best sellers by sold count', async () => {
    const best = await fresh.client.bestSellers({ limit: 10 });
    expect(best.items.map((p) => [p.id, p.soldCount])).toEqual([
      [2, 30],
      [7, 9],
    ]);
  });

  it('shows a product with its stock and role price', async () => {
    expect(await fresh.client.product(4)).toMatchObject({
      id: 4,
      stock: 3,
      reservedStock: 0,
      soldCount: 0,
      isActive: true,
    });
  });

  it.each([
    ['/products?page=0', 'page'],
    ['/products?pageSize=1000', 'pageSize'],
    ['/products?role=admin', 'role'],
    ['/products?inStock=yes', 'inStock'],
    ['/products/best-sellers?limit=-1', 'limit'],
    ['/products/abc', 'id'],
  ])('refuses %s with 400 naming the field', async (path, field) => {
    const res = await fresh.raw('GET', path);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(field);
  });

  it('answers an unknown product with 404', async () => {
    const res = await fresh.raw('GET', '/products/424242');
    expect(res.status).toBe(404);
    await expect(fresh.client.product(424242)).rejects.toBeInstanceOf(NotFound);
  });

  it('answers an invalid product id through the client as Invalid', async () => {
    await expect(fresh.client.product(0)).rejects.toBeInstanceOf(Invalid);
  });
});

describe('searching products by a word (docs/features.md §2.3)', () => {
  let shop: TestCatalog;
  beforeAll(async () => {
    shop = await startTestCatalog();
    const add = (id: number, name: string, category: string) =>
      shop.client.addProduct({ id, name, category, price: 10_000 });
    await add(1, 'Netflix Premium', 'Streaming');
    await add(2, 'Spotify', 'Musik Streaming');
    await add(3, 'Diskon 100% Asli', 'Promo');
    await add(4, 'Akun_Game', 'Game');
    await add(5, 'Back\\slash', 'Lain');
    for (let i = 11; i <= 22; i++) await add(i, `Canva ${i}`, 'Desain');
    await shop.client.deleteProduct(22);
  });
  afterAll(() => shop.close());
  const found = async (search: string, page = 1) =>
    (await shop.client.listProducts({ search, page })).items.map((p) => p.id);

  it('matches the name or the category, in any case', async () => {
    expect(await found('netflix')).toEqual([1]);
    expect(await found('STREAM')).toEqual([1, 2]);
    expect(await found('zzz')).toEqual([]);
  });

  it('takes %, _ and \\ as themselves, never as wildcards', async () => {
    expect(await found('%')).toEqual([3]);
    expect(await found('_')).toEqual([4]);
    expect(await found('\\')).toEqual([5]);
    expect(await found('100%')).toEqual([3]);
  });

  it('pages the results by 10 and leaves out deleted products', async () => {
    const first = await shop.client.listProducts({ search: 'canva' });
    expect(first).toMatchObject({ totalItems: 11, totalPages: 2 });
    expect(await found('canva', 2)).toEqual([21]);
  });

  it('refuses a word over 40 characters with 400', async () => {
    const res = await shop.raw('GET', `/products?search=${'x'.repeat(41)}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('search');
  });
});

describe("a product's picture (/setimage)", () => {
  // Its audit entry (product.image, by the admin) is checked end to end: shop-search-pictures.e2e.
  it('is stored as a file id, shown on the detail, and removed with null', async () => {
    await t.client.addProduct({ id: 700, name: 'Bergambar', price: 5_000 });
    expect((await t.client.product(700)).imageFileId).toBeNull();
    const admin = t.client.as('42');
    expect((await admin.setImage(700, 'AgACAgFILEID')).imageFileId).toBe('AgACAgFILEID');
    expect((await t.client.product(700)).imageFileId).toBe('AgACAgFILEID');
    expect((await admin.setImage(700, null)).imageFileId).toBeNull();
    await expect(admin.setImage(424242, 'x')).rejects.toBeInstanceOf(NotFound);
  });
});
