import { DomainError, Invalid, NotFound, parse, route } from '@quickcart/kit';
import { wireRupiah } from '@quickcart/pakasir';
import { Router } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Faults } from './faults';
import type { Ledger, SandboxTransaction } from './ledger';
import { isSandboxMethod } from './methods';
import { SANDBOX_QRIS_MINIMUM } from './qris-fee';

/** Kit has no 401; the sandbox needs one because a wrong api_key is how Pakasir refuses. */
class Unauthorized extends DomainError {
  readonly status = 401;
  readonly code = 'invalid' as const;
}

export type Projects = Map<string, { apiKey: string }>;

export interface ApiDeps {
  projects: Projects;
  ledger: Ledger;
  faults: Faults;
  /** Pays and fires the webhook; shared with the pay page and `sandbox.pay`. */
  completePayment: (tx: SandboxTransaction) => void;
}

/** Same fields in the JSON body (POST) or the query string (detail), as Pakasir takes them. */
const call = z.object({
  project: z.string().min(1),
  order_id: z.string().min(1).max(64),
  amount: wireRupiah.pipe(z.number().positive()),
  api_key: z.string(),
});

/** The Pakasir API (docs/features.md §6), wire format and all. */
export function pakasirApiRoutes({ projects, ledger, faults, completePayment }: ApiDeps): Router {
  const router = Router();
  const authorized = (data: unknown) => {
    const c = parse(call, data);
    const project = projects.get(c.project);
    // Unknown project and wrong key answer alike; neither the key nor a hint of it is echoed.
    if (!project || !sameSecret(project.apiKey, c.api_key)) {
      throw new Unauthorized('unknown project or wrong api_key', 'unauthorized');
    }
    return c;
  };

  // `qris`, or any other method Pakasir documents (methods.ts): a virtual account answers its number.
  router.post(
    '/api/transactioncreate/:method',
    route(async (req, res) => {
      const method = req.params.method ?? '';
      if (!isSandboxMethod(method)) throw new NotFound(`no payment method ${method}`, 'payment_method');
      const c = authorized(req.body);
      // Pakasir's minimum (its SDKs apply it to every method but PayPal); the answer's shape is ours (kit's
      // error body, 400): Pakasir's is undocumented.
      if (c.amount < SANDBOX_QRIS_MINIMUM) {
        throw new Invalid(`amount must be at least ${SANDBOX_QRIS_MINIMUM}`, 'amount_below_minimum');
      }
      res.json({ payment: paymentWire(ledger.open(c.project, c.order_id, c.amount, method)) });
    }),
  );

  router.get(
    '/api/transactiondetail',
    route(async (req, res) => {
      const c = authorized(req.query);
      res.json({ transaction: transactionWire(ledger.get(c.project, c.order_id, c.amount)) });
    }),
  );

  router.post(
    '/api/transactioncancel',
    route(async (req, res) => {
      const c = authorized(req.body);
      if (faults.takeCancelFailure()) throw new NotFound('transaction not found', 'sandbox_fault');
      const tx = ledger.get(c.project, c.order_id, c.amount);
      ledger.cancel(tx);
      res.json({ transaction: transactionWire(tx) });
    }),
  );

  router.post(
    '/api/paymentsimulation',
    route(async (req, res) => {
      const c = authorized(req.body);
      const tx = ledger.get(c.project, c.order_id, c.amount);
      completePayment(tx);
      res.json({ transaction: transactionWire(tx) });
    }),
  );

  return router;
}

export function paymentWire(tx: SandboxTransaction) {
  return {
    project: tx.project,
    order_id: tx.orderId,
    amount: tx.amount,
    fee: tx.fee,
    total_payment: tx.totalPayment,
    payment_method: tx.paymentMethod,
    payment_number: tx.paymentNumber,
    expired_at: tx.expiredAt,
  };
}

export function transactionWire(tx: SandboxTransaction) {
  return {
    amount: tx.amount,
    order_id: tx.orderId,
    project: tx.project,
    status: tx.status,
    payment_method: tx.paymentMethod,
    completed_at: tx.completedAt,
    // Not in Pakasir's documented detail: the sandbox states the fee of the method paid with, an
    // assumption `npm run pakasir:verify` asks real Pakasir about (docs/features.md §6.1).
    fee: tx.fee,
    total_payment: tx.totalPayment,
  };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
