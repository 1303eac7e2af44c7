import { allow, parse, route, type Logger } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import * as c from '../contract';
import type { ShopWorkflows } from '../shop-workflows';
import type { Users } from '../users/users';
import type { WarrantyClaims } from '../warranty/warranty-claims';
import { actingAdmin } from './acting-admin';

const claimParam = z.object({ claimId: c.claimId });
const productParam = z.object({ productId: z.coerce.number().int().positive() });

/** What each stored outcome answers a press on any button with. */
const DECIDED = { replaced: 'replace', refunded: 'refund', rejected: 'reject' } as const;

export interface WarrantyRouteDeps {
  claims: WarrantyClaims;
  workflows: ShopWorkflows;
  users: Users;
  logger: Logger;
}

/** Warranty claims (docs/features.md §2.9.1): the customer's claim, the admin's press, the workflow's outcome. */
export function warrantyRoutes(d: WarrantyRouteDeps): Router {
  const r = Router();
  const admin = actingAdmin(d.users);
  r.get(
    '/products/:productId/warranty',
    allow('gateway'),
    route(async (req, res) =>
      res.json(await d.claims.productWarranty(parse(productParam, req.params).productId)),
    ),
  );
  r.put(
    '/products/:productId/warranty',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const { productId } = parse(productParam, req.params);
      const b = parse(c.productWarrantyBody, req.body);
      res.json(await d.claims.setProductWarranty(productId, b.days, b.actor));
    }),
  );
  // The claim is stored first, then its workflow started; a start that fails makes the request fail, and
  // the request repeated (the gateway's inbox tries an update again) finds the open claim and starts it.
  r.post(
    '/warranty-claims',
    allow('gateway'),
    route(async (req, res) => {
      const opened = await d.claims.open(parse(c.openClaimBody, req.body));
      const { claim } = opened;
      await d.workflows.startWarrantyClaim({
        claimId: claim.id,
        invoiceId: claim.invoiceId,
        userId: claim.userId,
      });
      res.status(opened.created ? 201 : 200).json(opened);
    }),
  );
  r.get(
    '/warranty-claims/:claimId',
    allow('gateway', 'worker'),
    route(async (req, res) => res.json(await d.claims.get(parse(claimParam, req.params).claimId))),
  );
  r.post(
    '/warranty-claims/:claimId/decision',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const { claimId } = parse(claimParam, req.params);
      const decision = parse(c.warrantyDecisionBody, req.body);
      const before = await d.claims.get(claimId);
      if (before.status !== 'open') {
        return void res.json({ accepted: false, decision: DECIDED[before.status], claim: before });
      }
      const answer = await d.workflows
        .decideWarrantyClaim(claimId, decision)
        .catch(async (error: unknown) => {
          // The workflow closed between the read and the press: the claim says how it was decided.
          const now = await d.claims.get(claimId);
          if (now.status === 'open') throw error;
          return { accepted: false, decision: DECIDED[now.status] };
        });
      if (answer.accepted) await d.claims.recordDecision(claimId, decision);
      res.json({ ...answer, claim: await d.claims.get(claimId) });
    }),
  );
  r.post(
    '/warranty-claims/:claimId/resolve',
    allow('worker'),
    route(async (req, res) => {
      const { claimId } = parse(claimParam, req.params);
      res.json(await d.claims.resolve(claimId, parse(c.warrantyResolveBody, req.body)));
    }),
  );
  return r;
}
