import { allow, parse, route } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import * as c from '../contract';
import type { LatePayments } from '../payments/late-payments';

/** Refunds of payments that came after their order closed, and the list reconciliation checks. */
export function latePaymentRoutes(latePayments: LatePayments): Router {
  const r = Router();
  r.post(
    '/orders/:invoiceId/late-payment',
    allow('worker'),
    route(async (req, res) => {
      const { invoiceId } = parse(z.object({ invoiceId: c.invoiceId }), req.params);
      const { actor } = parse(c.latePaymentBody, req.body ?? {});
      res.json(await latePayments.refund(invoiceId, actor));
    }),
  );
  r.get(
    '/late-payments/candidates',
    allow('worker'),
    route(async (req, res) =>
      res.json(await latePayments.candidates(parse(c.latePaymentCandidatesQuery, req.query))),
    ),
  );
  return r;
}
