import { allow, parse, route } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import * as c from '../contract';
import { actorOf, idParam } from '../route-params';
import type { StockAdmin } from './stock-admin';

/** The admin's stock lines: load, delete, export (every one audited under the actor). */
export function stockRoutes(stock: StockAdmin): Router {
  const r = Router();
  r.post(
    '/products/:id/stock',
    allow('gateway'),
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
    allow('gateway'),
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
    allow('gateway'),
    route(async (req, res) =>
      res.json(await stock.deleteAllAvailable(parse(idParam, req.params).id, actorOf(req))),
    ),
  );
  r.get(
    '/products/:id/stock/export',
    allow('gateway'),
    route(async (req, res) =>
      res.json(await stock.exportUnsold(parse(idParam, req.params).id, actorOf(req))),
    ),
  );
  return r;
}
