import type { Chaos } from './setup';
import { ADMIN_ID } from './setup';

export interface ChaosShop {
  /** Product id → how many stock items were added. */
  stocked: Map<number, number>;
  products: number[];
  /** One that sells out during the run, so sold-out paths are taken too. */
  scarce: number;
  vouchers: string[];
  goodsPrefix: (productId: number) => string;
}

/** Seeds the fresh catalog through its API and makes a few vouchers, as an admin would. */
export async function seedShop(c: Chaos, stockPerProduct: number): Promise<ChaosShop> {
  const stocked = new Map<number, number>();
  const goodsPrefix = (productId: number) => `${c.tag}-p${productId}-`;
  const add = async (name: string, price: number, count: number) => {
    const { id } = await c.catalog.addProduct({ name, category: 'Chaos', price });
    const lines = Array.from({ length: count }, (_, i) => `${goodsPrefix(id)}${i}:pw${i}`);
    for (let i = 0; i < lines.length; i += 500) await c.catalog.addStock(id, lines.slice(i, i + 500));
    stocked.set(id, count);
    return id;
  };
  const products = [
    await add('Netflix 1 Bulan', 12_000, stockPerProduct),
    await add('Spotify Premium', 15_000, stockPerProduct),
    await add('Canva Pro', 11_000, stockPerProduct),
  ];
  const scarce = await add('Flash Sale', 10_000, 4);
  const { codes } = await c.orders.giveaway({ amount: 3_000, count: 30, actor: String(ADMIN_ID) });
  return { stocked, products: [...products, scarce], scarce, vouchers: codes, goodsPrefix };
}
