import { allow, parse, route } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import * as c from '../contract';
import { actorOf, idParam } from '../route-params';
import type { ProductAdmin } from './admin';
import type { ProductQueries } from './queries';

/** Product reads (any caller) and the admin's product writes (audited under the actor). */
export function productRoutes(queries: ProductQueries, admin: ProductAdmin): Router {
  const r = Router();

  // ----- reads -----
  r.get(
    '/categories',
    allow('gateway'),
    route(async (_req, res) => res.json({ items: await queries.categories() })),
  );
  r.get(
    '/products',
    allow('gateway'),
    route(async (req, res) => res.json(await queries.list(parse(c.listProductsQuery, req.query)))),
  );
  r.get(
    '/products/best-sellers',
    allow('gateway'),
    route(async (req, res) => {
      const q = parse(c.bestSellersQuery, req.query);
      res.json({ items: await queries.bestSellers(q.role, q.limit) });
    }),
  );
  r.get(
    '/products/:id',
    allow('gateway', 'orders'),
    route(async (req, res) => {
      const { id } = parse(idParam, req.params);
      const q = parse(c.productQuery, req.query);
      res.json(await queries.detail(id, q.role, q.includeInactive));
    }),
  );

  // ----- admin writes -----
  r.post(
    '/products',
    allow('gateway'),
    route(async (req, res) =>
      res.status(201).json(await admin.add(parse(c.addProductBody, req.body), actorOf(req))),
    ),
  );
  r.patch(
    '/products/:id',
    allow('gateway'),
    route(async (req, res) =>
      res.json(
        await admin.edit(parse(idParam, req.params).id, parse(c.editProductBody, req.body), actorOf(req)),
      ),
    ),
  );
  r.post(
    '/products/:id/change-id',
    allow('gateway'),
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
    allow('gateway'),
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
    '/products/:id/image',
    allow('gateway'),
    route(async (req, res) =>
      res.json(
        await admin.setImage(
          parse(idParam, req.params).id,
          parse(c.setImageBody, req.body).fileId,
          actorOf(req),
        ),
      ),
    ),
  );
  r.put(
    '/products/:id/discount',
    allow('gateway'),
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
    allow('gateway'),
    route(async (req, res) => {
      const { category } = parse(z.object({ category: z.string().trim().min(1).max(100) }), req.params);
      res.json(await admin.setCategoryDiscount(category, parse(c.setDiscountBody, req.body), actorOf(req)));
    }),
  );
  r.delete(
    '/products/:id',
    allow('gateway'),
    route(async (req, res) => res.json(await admin.softDelete(parse(idParam, req.params).id, actorOf(req)))),
  );
  return r;
}
