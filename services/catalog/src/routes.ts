import { parse, route } from '@quickcart/kit';
import { Router, type Request } from 'express';
import { z } from 'zod';
import * as c from './contract';
import type { ProductAdmin } from './products/admin';
import type { ProductQueries } from './products/queries';
import type { Reservations } from './stock/reservations';
import type { StockAdmin } from './stock/stock-admin';

export interface CatalogParts {
  queries: ProductQueries;
  admin: ProductAdmin;
  stock: StockAdmin;
  reservations: Reservations;
}

const idParam = z.object({ id: c.productId });

/**
 * Who an admin write is for: the gateway names the admin in `x-actor` (CatalogClient.as); a write
 * without one is the system's. Either way it is audited.
 */
const actorOf = (req: Request): string => {
  const actor = req.header(c.ACTOR_HEADER);
  return actor && /^(\d{1,20}|system)$/.test(actor) ? actor : 'system';
};
const invoiceParam = z.object({ invoiceId: c.invoiceId });

/** HTTP routes: parse with the contract, call the part that owns the rule, answer. Nothing else. */
export function catalogRoutes({ queries, admin, stock, reservations }: CatalogParts): Router {
  const r = Router();

  // ----- reads -----
  r.get(
    '/categories',
    route(async (_req, res) => res.json({ items: await queries.categories() })),
  );
  r.get(
    '/products',
    route(async (req, res) => res.json(await queries.list(parse(c.listProductsQuery, req.query)))),
  );
  r.get(
    '/products/best-sellers',
    route(async (req, res) => {
      const q = parse(c.bestSellersQuery, req.query);
      res.json({ items: await queries.bestSellers(q.role, q.limit) });
    }),
  );
  r.get(
    '/products/:id',
    route(async (req, res) => {
      const { id } = parse(idParam, req.params);
      const q = parse(c.productQuery, req.query);
      res.json(await queries.detail(id, q.role, q.includeInactive));
    }),
  );

  // ----- admin writes -----
  r.post(
    '/products',
    route(async (req, res) =>
      res.status(201).json(await admin.add(parse(c.addProductBody, req.body), actorOf(req))),
    ),
  );
  r.patch(
    '/products/:id',
    route(async (req, res) =>
      res.json(
        await admin.edit(parse(idParam, req.params).id, parse(c.editProductBody, req.body), actorOf(req)),
      ),
    ),
  );
  r.post(
    '/products/:id/change-id',
    route(async (req, res) =>
      res.json(
        await admin.changeId(
          parse(idParam, req.params).id,
          parse(c.changeIdBody, req.body).newId,
          actorOf(req),
        ),
      ),
    ),
  );
  r.post(
    '/products/:id/sold-count',
    route(async (req, res) =>
      res.json(
        await admin.adjustSoldCount(
          parse(idParam, req.params).id,
          parse(c.soldCountBody, req.body).delta,
          actorOf(req),
        ),
      ),
    ),
  );
  r.put(
    '/products/:id/discount',
    route(async (req, res) =>
      res.json(
        await admin.setDiscount(
          parse(idParam, req.params).id,
          parse(c.setDiscountBody, req.body),
          actorOf(req),
        ),
      ),
    ),
  );
  r.put(
    '/categories/:category/discount',
    route(async (req, res) => {
      const { category } = parse(z.object({ category: z.string().trim().min(1).max(100) }), req.params);
      res.json(await admin.setCategoryDiscount(category, parse(c.setDiscountBody, req.body), actorOf(req)));
    }),
  );
  r.delete(
    '/products/:id',
    route(async (req, res) => res.json(await admin.softDelete(parse(idParam, req.params).id, actorOf(req)))),
  );

  // ----- stock -----
  r.post(
    '/products/:id/stock',
    route(async (req, res) =>
      res
        .status(201)
        .json(
          await stock.addStock(
            parse(idParam, req.params).id,
            parse(c.addStockBody, req.body).lines,
            actorOf(req),
          ),
        ),
    ),
  );
  r.delete(
    '/products/:id/stock/:itemId',
    route(async (req, res) => {
      const { id, itemId } = parse(
        idParam.extend({ itemId: z.string().uuid('must be a stock item id (uuid)') }),
        req.params,
      );
      await stock.deleteItem(id, itemId, actorOf(req));
      res.json({ deleted: 1 });
    }),
  );
  r.delete(
    '/products/:id/stock',
    route(async (req, res) =>
      res.json(await stock.deleteAllAvailable(parse(idParam, req.params).id, actorOf(req))),
    ),
  );
  r.get(
    '/products/:id/stock/export',
    route(async (req, res) =>
      res.json(await stock.exportUnsold(parse(idParam, req.params).id, actorOf(req))),
    ),
  );

  // ----- reservations -----
  r.post(
    '/reservations',
    route(async (req, res) => {
      const b = parse(c.reserveBody, req.body);
      res.json(await reservations.reserve(b.invoiceId, b.productId, b.quantity, { fresh: b.fresh }));
    }),
  );
  r.get(
    '/reservations',
    route(async (req, res) => res.json(await reservations.held(parse(c.heldReservationsQuery, req.query)))),
  );
  r.get(
    '/reservations/:invoiceId',
    route(async (req, res) => res.json(await reservations.get(parse(invoiceParam, req.params).invoiceId))),
  );
  r.post(
    '/reservations/:invoiceId/commit',
    route(async (req, res) => res.json(await reservations.commit(parse(invoiceParam, req.params).invoiceId))),
  );
  r.post(
    '/reservations/:invoiceId/release',
    route(async (req, res) =>
      res.json(await reservations.release(parse(invoiceParam, req.params).invoiceId)),
    ),
  );
  r.get(
    '/reservations/:invoiceId/items',
    route(async (req, res) =>
      res.json(await reservations.committedItems(parse(invoiceParam, req.params).invoiceId)),
    ),
  );
  return r;
}
