import { Conflict, Invalid, NotFound, parse, route, sameSecret, type Logger } from '@quickcart/kit';
import { pakasirWebhookBody } from '@quickcart/pakasir';
import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { PaymentConfirmation } from '../payments/payment-confirmation';
import { ORDERS_REFUSAL } from '../contract';

/** Followed by PAKASIR_WEBHOOK_SECRET: the URL registered at Pakasir. */
export const PAKASIR_WEBHOOK_PATH = '/webhooks/pakasir/';

export interface PakasirWebhookDeps {
  confirmation: PaymentConfirmation;
  pakasirProject: string;
  webhookSecret: string;
  logger: Logger;
  /** Metrics: a webhook at the right path, and what it was answered. */
  observe?: { webhookArrived(invoiceId: string): void; webhookAnswered(result: string): void };
}

/**
 * Runs before any body is read (createApp's guard): only `POST /webhooks/pakasir/<the secret>`, spelled
 * exactly so, goes on to the JSON parser and the route; any other request is 404 at once, so a stranger
 * makes us parse nothing (docs/security.md).
 */
export function pakasirWebhookGuard(webhookSecret: string): RequestHandler {
  return (req, _res, next) => {
    const underPrefix = req.path.startsWith(PAKASIR_WEBHOOK_PATH);
    if (
      req.method === 'POST' &&
      underPrefix &&
      sameSecret(req.path.slice(PAKASIR_WEBHOOK_PATH.length), webhookSecret)
    )
      return next();
    next(new NotFound('not found', underPrefix ? ORDERS_REFUSAL.webhookSecret : 'route'));
  };
}

/**
 * The one route of orders' public listener (docs/security.md): Pakasir's webhook at a secret path. Its
 * body carries no signature, so it is a hint: nothing moves until Pakasir's own detail confirms it.
 */
export function pakasirWebhookRoutes(d: PakasirWebhookDeps): Router {
  const r = Router({ caseSensitive: true, strict: true });
  // Every refusal is logged (without the secret) and changes nothing.
  r.post(
    `${PAKASIR_WEBHOOK_PATH}:token`,
    route(async (req, res) => {
      const refuse = (error: Error & { reason?: string }): never => {
        if (error.reason !== ORDERS_REFUSAL.webhookSecret)
          d.observe?.webhookAnswered(error.reason ?? 'error');
        d.logger.warn('pakasir webhook refused', { reason: error.reason, invoiceId: req.body?.order_id });
        throw error;
      };
      if (!sameSecret(req.params.token, d.webhookSecret))
        refuse(new NotFound('not found', ORDERS_REFUSAL.webhookSecret));
      let body: z.output<typeof pakasirWebhookBody>;
      try {
        body = parse(pakasirWebhookBody, req.body);
      } catch (error) {
        return refuse(error as Error);
      }
      if (body.project !== d.pakasirProject)
        refuse(new Invalid('project does not match', 'project_mismatch'));
      d.observe?.webhookArrived(body.order_id);
      const result = await d.confirmation.check(body.order_id, 'webhook', body.amount).catch(refuse);
      if (result !== 'paid')
        refuse(new Conflict('Pakasir does not confirm this payment', ORDERS_REFUSAL.paymentNotConfirmed));
      d.observe?.webhookAnswered('confirmed');
      res.json({ ok: true });
    }),
  );
  return r;
}
