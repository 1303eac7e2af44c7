import { allow, parse, route } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import * as c from '../contract';
import { actingAdmin } from './acting-admin';
import type { FraudFlags } from '../fraud/fraud-flags';
import type { Ledger } from '../ledger/ledger';
import type { OrderStore } from '../orders/order-store';
import type { Users } from '../users/users';
import type { WarrantyClaims } from '../warranty/warranty-claims';

const idParam = z.object({ id: c.userId });

export function userRoutes(
  users: Users,
  ledger: Ledger,
  orders: OrderStore,
  fraud: FraudFlags,
  claims: WarrantyClaims,
): Router {
  const r = Router();
  const admin = actingAdmin(users);
  r.get(
    '/users/:id/fraud-flags',
    allow('gateway'),
    route(async (req, res) => res.json({ items: await fraud.forUser(parse(idParam, req.params).id) })),
  );
  r.post(
    '/users',
    allow('gateway'),
    route(async (req, res) => res.json(await users.upsert(parse(c.upsertUserBody, req.body)))),
  );
  r.get(
    '/users/:id',
    allow('gateway', 'worker'),
    route(async (req, res) => res.json(await users.get(parse(idParam, req.params).id))),
  );
  r.patch(
    '/users/:id/profile',
    allow('gateway'),
    route(async (req, res) =>
      res.json(await users.updateProfile(parse(idParam, req.params).id, parse(c.profileBody, req.body))),
    ),
  );
  r.post(
    '/users/:id/role',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const b = parse(c.roleBody, req.body);
      res.json(await users.setRole(parse(idParam, req.params).id, b.role, b.actor, b.from));
    }),
  );
  r.post(
    '/users/:id/ban',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const b = parse(c.banBody, req.body);
      res.json(await users.setBanned(parse(idParam, req.params).id, b.banned, b.actor));
    }),
  );
  r.post(
    '/users/:id/language',
    allow('gateway'),
    route(async (req, res) => {
      const b = parse(c.languageBody, req.body);
      res.json(await users.setLanguage(parse(idParam, req.params).id, b.language, b.actor));
    }),
  );
  r.post(
    '/users/:id/blocked-bot',
    allow('gateway', 'worker'),
    route(async (req, res) =>
      res.json(
        await users.setBlockedBot(parse(idParam, req.params).id, parse(c.blockedBotBody, req.body).blocked),
      ),
    ),
  );
  r.get(
    '/users/:id/orders',
    allow('gateway'),
    route(async (req, res) => {
      const { page } = parse(z.object({ page: z.coerce.number().int().positive().default(1) }), req.query);
      const history = await orders.history(parse(idParam, req.params).id, page);
      res.json({ ...history, claimable: await claims.claimable(history.items) });
    }),
  );
  r.get(
    '/users/:id/ledger',
    allow('gateway'),
    route(async (req, res) => res.json({ items: await ledger.entries(parse(idParam, req.params).id) })),
  );
  r.post(
    '/users/:id/balance',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const userId = parse(idParam, req.params).id;
      const b = parse(c.setBalanceBody, req.body);
      const entry = await ledger.setBalance({ ...b, userId, reference: b.reference ?? null });
      res.json({ balance: entry?.balanceAfter ?? (await users.get(userId)).balance, entry: entry ?? null });
    }),
  );
  r.post(
    '/users/:id/admin-messages',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const b = parse(c.adminMessageBody, req.body);
      await users.recordAdminMessage(parse(idParam, req.params).id, b.actor, b.text);
      res.status(201).json({ recorded: true });
    }),
  );
  r.get(
    '/admins',
    allow('gateway'),
    route(async (_req, res) => res.json({ chatIds: await users.admins() })),
  );
  r.get(
    '/notification-recipients',
    allow('gateway', 'worker'),
    route(async (_req, res) => res.json({ chatIds: await users.notificationRecipients() })),
  );
  // /transfer: the gateway's only ledger posting, its own route so that token never reaches the generic one.
  r.post(
    '/users/:id/transfer',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const b = parse(c.transferBody, req.body);
      res.json(
        await ledger.post({
          ...b,
          userId: parse(idParam, req.params).id,
          reason: 'transfer',
          reference: b.reference ?? null,
        }),
      );
    }),
  );
  r.post(
    '/ledger/entries',
    allow('worker'),
    route(async (req, res) => {
      const b = parse(c.ledgerEntryBody, req.body);
      res.json(await ledger.post({ ...b, reference: b.reference ?? null }));
    }),
  );
  return r;
}
