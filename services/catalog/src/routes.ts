import type { FaultHold } from '@quickcart/kit';
import { Router } from 'express';
import type { CatalogFaultStep } from './config';
import type { ProductAdmin } from './products/admin';
import type { ProductQueries } from './products/queries';
import { productRoutes } from './products/routes';
import { reservationRoutes } from './stock/reservation-routes';
import type { Reservations } from './stock/reservations';
import type { StockAdmin } from './stock/stock-admin';
import { stockRoutes } from './stock/stock-routes';

export interface CatalogParts {
  queries: ProductQueries;
  admin: ProductAdmin;
  stock: StockAdmin;
  reservations: Reservations;
  /** Test only (QC_FAULT_HOLD). */
  hold?: FaultHold<CatalogFaultStep>;
}

/**
 * Catalog's HTTP API, one router per part (products, stock, reservations), mirroring the folders. Each
 * route parses with the contract, calls the part that owns the rule and answers. Nothing else.
 */
export function catalogRoutes({ queries, admin, stock, reservations, hold }: CatalogParts): Router {
  return Router()
    .use(productRoutes(queries, admin))
    .use(stockRoutes(stock))
    .use(reservationRoutes(reservations, hold));
}
