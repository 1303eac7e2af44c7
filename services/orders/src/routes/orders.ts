import { allow, Conflict, parse, route, type Logger } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import * as c from '../contract';
import type { FraudFlags } from '../fraud/fraud-flags';
import type { Checkout } from '../orders/checkout';
import type { OrderStore } from '../orders/order-store';
import type { PaymentConfirmation } from '../payments/payment-confirmation';
import type { ShopWorkflows } from '../shop-workflows';
import type { ShopStats } from '../orders/stats';

const invoiceParam = z.object({ invoiceId: c.invoiceId });

export interface OrderRouteDeps {
  orders: OrderStore;
  checkout: Checkout;
  confirmation: PaymentConfirmation;
  workflows: ShopWorkflows;
  stats: ShopStats;
  fraud: FraudFlags;
  logger: Logger;
}

export function orderRoutes(d: OrderRouteDeps): Router {
  const r = Router();
  r.post(
    '/checkout',
    allow('gateway'),
    route(async (req, res) =>
      res.status(201).json(await d.checkout.purchase(parse(c.checkoutBody, req.body))),
    ),
  );
  r.post(
    '/deposits',
    allow('gateway'),
    route(async (req, res) => res.status(201).json(await d.checkout.deposit(parse(c.depositBody, req.body)))),
  );
  r.get(
    '/checkout/quote',
    allow('gateway'),
    route(async (req, res) => res.json((await d.checkout.quote(parse(c.quoteQuery, req.query))).quote)),
  );
  r.get(
    '/stats',
    allow('gateway'),
    route(async (_req, res) => res.json(await d.stats.totals())),
  );
  r.get(
    '/stats/top-buyers',
    allow('gateway'),
    route(async (req, res) => {
      const { limit } = parse(
        z.object({ limit: z.coerce.number().int().positive().max(50).default(10) }),
        req.query,
      );
      res.json({ items: await d.stats.topBuyers(limit) });
    }),
  );
  r.get(
    '/orders/:invoiceId/refund-estimate',
    allow('gateway'),
    route(async (req, res) => {
      const { userId } = parse(z.object({ userId: c.userId }), req.query);
      res.json(await d.stats.refundEstimate(parse(invoiceParam, req.params).invoiceId, userId));
    }),
  );
  r.get(
    '/orders/:invoiceId',
    allow('gateway', 'worker'),
    route(async (req, res) => res.json(await d.orders.get(parse(invoiceParam, req.params).invoiceId))),
  );
  r.post(
    '/orders/:invoiceId/cancel',
    allow('gateway'),
    route(async (req, res) => {
      const order = await d.orders.get(parse(invoiceParam, req.params).invoiceId);
      if (order.status !== 'pending')
        throw new Conflict(`order ${order.invoiceId} is ${order.status}`, c.ORDERS_REFUSAL.notPending);
      const { reason } = parse(z.object({ reason: z.string().max(100).default('customer') }), req.body ?? {});
      await d.workflows.cancel(order, reason);
      res.json(order);
    }),
  );
  r.post(
    '/orders/:invoiceId/transition',
    allow('worker'),
    route(async (req, res) => {
      const b = parse(c.transitionBody, req.body);
      const order = await d.orders.transition(
        parse(invoiceParam, req.params).invoiceId,
        b.to,
        b.actor,
        b.stockItemIds,
        b.paidVia,
      );
      // Anti-fraud flags only flag (docs/features.md §4): a failure to judge never fails the payment.
      if (order.status === 'paid')
        await d.fraud
          .afterPaid(order)
          .catch((error: Error) =>
            d.logger.warn('anti-fraud flags not judged', { invoiceId: order.invoiceId, error }),
          );
      res.json(order);
    }),
  );
  // A balance purchase's debit, of the stored total (docs/architecture.md §5); `entry` is null for Rp0.
  r.post(
    '/orders/:invoiceId/balance-debit',
    allow('worker'),
    route(async (req, res) =>
      res.json({ entry: (await d.orders.debitBalance(parse(invoiceParam, req.params).invoiceId)) ?? null }),
    ),
  );
  // The payment run's first step: the press checkout sealed becomes the order (Checkout.open).
  r.post(
    '/orders/:invoiceId/open',
    allow('worker'),
    route(async (req, res) =>
      res.json(
        await d.checkout.open(parse(invoiceParam, req.params).invoiceId, parse(c.openBody, req.body).opening),
      ),
    ),
  );
  // The QR is the gateway's reply to the press; runs started by older code sent it themselves.
  r.post(
    '/orders/:invoiceId/qr-message',
    allow('gateway', 'worker'),
    route(async (req, res) =>
      res.json(
        await d.orders.setQrMessage(
          parse(invoiceParam, req.params).invoiceId,
          parse(c.qrMessageBody, req.body).messageId,
        ),
      ),
    ),
  );
  r.post(
    '/orders/:invoiceId/pakasir-invoice',
    allow('worker'),
    route(async (req, res) => {
      const { fee, totalPayment } = parse(c.pakasirInvoiceBody, req.body);
      res.json(
        await d.orders.recordPakasirInvoice(parse(invoiceParam, req.params).invoiceId, fee, totalPayment),
      );
    }),
  );
  // The bot's "Status Pembayaran" button.
  r.post(
    '/orders/:invoiceId/check-payment',
    allow('gateway'),
    route(async (req, res) => {
      const { invoiceId } = parse(invoiceParam, req.params);
      res.json({ invoiceId, status: await d.confirmation.check(invoiceId, 'status-button') });
    }),
  );
  return r;
}
