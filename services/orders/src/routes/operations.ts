import { allow, parse, route } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import * as c from '../contract';
import type { StuckOrders } from '../operations/stuck-orders';
import type { Users } from '../users/users';
import { actingAdmin } from './acting-admin';

const invoiceParam = z.object({ invoiceId: c.invoiceId });

/** What the gateway's operator tools call (/stuck and its buttons); each action is audited in orders. */
export function operationsRoutes(stuck: StuckOrders, users: Users): Router {
  const r = Router();
  const admin = actingAdmin(users);
  r.get(
    '/stuck-orders',
    allow('gateway'),
    route(async (req, res) => res.json(await stuck.list(parse(c.stuckOrdersQuery, req.query).page))),
  );
  r.post(
    '/orders/:invoiceId/redeliver',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const { invoiceId } = parse(invoiceParam, req.params);
      await stuck.redeliver(invoiceId, parse(c.operatorActionBody, req.body).actor);
      res.json({ invoiceId, signalled: true });
    }),
  );
  r.post(
    '/orders/:invoiceId/pakasir-check',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const { invoiceId } = parse(invoiceParam, req.params);
      res.json(await stuck.askPakasir(invoiceId, parse(c.operatorActionBody, req.body).actor));
    }),
  );
  return r;
}
