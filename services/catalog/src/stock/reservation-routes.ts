import { allow, parse, route, type FaultHold } from '@quickcart/kit';
import type { CatalogFaultStep } from '../config';
import { Router } from 'express';
import * as c from '../contract';
import { invoiceParam } from '../route-params';
import type { Reservations } from './reservations';

/** Stock held for an invoice: reserve, read, commit (sold) and release, each idempotent by invoice. */
export function reservationRoutes(reservations: Reservations, hold?: FaultHold<CatalogFaultStep>): Router {
  const r = Router();
  r.post(
    '/reservations',
    allow('orders', 'worker'),
    route(async (req, res) => {
      const b = parse(c.reserveBody, req.body);
      res.json(await reservations.reserve(b.invoiceId, b.productId, b.quantity, { fresh: b.fresh }));
    }),
  );
  r.get(
    '/reservations',
    allow('orders'),
    route(async (req, res) => res.json(await reservations.held(parse(c.heldReservationsQuery, req.query)))),
  );
  r.get(
    '/reservations/:invoiceId',
    allow('orders', 'worker'),
    route(async (req, res) => res.json(await reservations.get(parse(invoiceParam, req.params).invoiceId))),
  );
  r.post(
    '/reservations/:invoiceId/commit',
    allow('worker'),
    route(async (req, res) => {
      const { invoiceId } = parse(invoiceParam, req.params);
      await hold?.at('reservation.before-commit');
      res.json(await reservations.commit(invoiceId));
    }),
  );
  r.post(
    '/reservations/:invoiceId/release',
    allow('orders', 'worker'),
    route(async (req, res) =>
      res.json(await reservations.release(parse(invoiceParam, req.params).invoiceId)),
    ),
  );
  r.get(
    '/reservations/:invoiceId/items',
    allow('worker'),
    route(async (req, res) =>
      res.json(await reservations.committedItems(parse(invoiceParam, req.params).invoiceId)),
    ),
  );
  return r;
}
