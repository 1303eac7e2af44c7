import { NotFound, parse, route } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import { faultSettings, type Faults } from './faults';
import type { Ledger } from './ledger';
import type { WebhookSender } from './webhook';

export interface ControlDeps {
  faults: Faults;
  ledger: Ledger;
  webhooks: WebhookSender;
  knownProject: (project: string) => boolean;
}

/**
 * The same switches `sandbox.faults` gives in code, over HTTP, for tests that run in another process
 * (the bot's end-to-end tests against `npm start`). Not part of Pakasir's API.
 */
export function controlRoutes({ faults, ledger, webhooks, knownProject }: ControlDeps): Router {
  const router = Router();

  router.get(
    '/_sandbox/faults',
    route(async (_req, res) => {
      res.json(faults.get());
    }),
  );

  router.post(
    '/_sandbox/faults',
    route(async (req, res) => {
      res.json(faults.set(parse(faultSettings.strict(), req.body ?? {})));
    }),
  );

  // Faults only by default: other suites may share this sandbox and still need their payments.
  router.post(
    '/_sandbox/reset',
    route(async (req, res) => {
      const { transactions } = parse(z.object({ transactions: z.boolean().default(false) }), req.body ?? {});
      faults.reset();
      if (transactions) ledger.clear();
      res.json({ faults: faults.get(), transactionsCleared: transactions });
    }),
  );

  router.get(
    '/_sandbox/transactions/:orderId',
    route(async (req, res) => {
      const project = typeof req.query.project === 'string' ? req.query.project : undefined;
      const tx = ledger.find(req.params.orderId ?? '', project);
      if (!tx) throw new NotFound(`no transaction for order_id ${req.params.orderId}`, 'transaction');
      res.json(tx);
    }),
  );

  router.post(
    '/_sandbox/webhook-url',
    route(async (req, res) => {
      const body = parse(z.object({ project: z.string().min(1), url: z.url().nullable() }), req.body);
      if (!knownProject(body.project)) throw new NotFound(`no project ${body.project}`, 'project');
      webhooks.setUrl(body.project, body.url ?? undefined);
      res.json({ project: body.project, webhookSet: body.url !== null });
    }),
  );

  return router;
}
