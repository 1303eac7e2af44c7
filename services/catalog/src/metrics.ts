import { Gauge, type Registry } from '@quickcart/kit';
import type { Sequelize } from 'sequelize-typescript';

/**
 * Stock per product is a label per active product, so it is bounded: a shop with more than this many
 * active products reports the ones with the least stock available (the ones an operator must refill).
 */
export const STOCK_GAUGE_MAX_PRODUCTS = 200;

/**
 * Stock by product and state (available, reserved), read from the product rows' counts on each scrape
 * (docs/operations.md §17). The product id is the label: bounded by the shop's own catalogue.
 */
export function stockGauge(registry: Registry, sequelize: Sequelize): void {
  new Gauge({
    name: 'quickcart_stock_items',
    help: `Stock items of active products by state (available, reserved); at most ${STOCK_GAUGE_MAX_PRODUCTS} products, least available first`,
    labelNames: ['product', 'state'],
    registers: [registry],
    async collect() {
      const [rows] = (await sequelize.query(
        `SELECT id AS product, stock_available AS available, stock_reserved AS reserved
           FROM catalog.products WHERE is_active
          ORDER BY stock_available, id LIMIT ${STOCK_GAUGE_MAX_PRODUCTS}`,
      )) as [{ product: number; available: number; reserved: number }[], unknown];
      // A product deleted since the last scrape must not keep its last figure.
      this.reset();
      for (const row of rows) {
        this.set({ product: String(row.product), state: 'available' }, row.available);
        this.set({ product: String(row.product), state: 'reserved' }, row.reserved);
      }
    },
  });
}
