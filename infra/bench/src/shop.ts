import { CatalogClient } from '@quickcart/catalog/client';
import { internalAuthHeader } from '@quickcart/kit';
import { inBatches } from './stats';

export interface BrowseProduct {
  id: number;
  name: string;
  category: string;
}

export interface Shop {
  catalog: CatalogClient;
  /** What browsing customers look at: a few categories of a few products, plenty of stock. */
  browse: BrowseProduct[];
  categories: string[];
  checkoutProduct: number;
  flashProduct: number;
  /** Every stock item starts with this; a delivered line is recognised by it. */
  stockTag: string;
  goodsPrefix: (productId: number) => string;
}

const CATEGORIES: Record<string, string[]> = {
  Streaming: ['Netflix 1 Bulan', 'Spotify Premium', 'Disney+ Hotstar', 'YouTube Premium'],
  Software: ['Windows 11 Pro', 'Office 365', 'Canva Pro'],
  Kursus: ['Belajar TypeScript', 'Desain UI', 'Excel Mahir'],
};

async function addStock(catalog: CatalogClient, productId: number, lines: string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 500) await catalog.addStock(productId, lines.slice(i, i + 500));
}

/** Seeds the fresh catalog through its API, as an admin's /add and /addstock would. */
export async function seedShop(
  catalogUrl: string,
  token: string,
  tag: string,
  o: { checkoutStock: number; flashItems: number },
): Promise<Shop> {
  const catalog = new CatalogClient({ baseUrl: catalogUrl, token, timeoutMs: 60_000 });
  const stockTag = `${tag}-p`;
  const goodsPrefix = (productId: number) => `${stockTag}${productId}-`;
  const stock = (productId: number, count: number) =>
    Array.from({ length: count }, (_, i) => `${goodsPrefix(productId)}${i}:pw${i}`);

  const browse: BrowseProduct[] = [];
  for (const [category, names] of Object.entries(CATEGORIES)) {
    for (const name of names) {
      const { id } = await catalog.addProduct({ name, category, price: 25_000 + browse.length * 1_000 });
      browse.push({ id, name, category });
    }
  }
  await inBatches(browse, 4, (p) => addStock(catalog, p.id, stock(p.id, 20)));

  const checkout = await catalog.addProduct({ name: 'Bench Voucher', category: 'Voucher', price: 10_000 });
  await addStock(catalog, checkout.id, stock(checkout.id, o.checkoutStock));
  const flash = await catalog.addProduct({ name: 'Flash Sale', category: 'Promo', price: 5_000 });
  await addStock(catalog, flash.id, stock(flash.id, o.flashItems));
  return {
    catalog,
    browse,
    categories: Object.keys(CATEGORIES),
    checkoutProduct: checkout.id,
    flashProduct: flash.id,
    stockTag,
    goodsPrefix,
  };
}

/** Registers customers with orders (as returning users, so /start shows the menu, not onboarding). */
export async function registerCustomers(ordersUrl: string, token: string, ids: number[]): Promise<void> {
  await inBatches(ids, 16, async (id) => {
    const res = await fetch(`${ordersUrl}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...internalAuthHeader(token) },
      body: JSON.stringify({ id, name: `Bench ${id}` }),
    });
    if (!res.ok) throw new Error(`POST /users ${id}: ${res.status} ${await res.text()}`);
  });
}
