import type { AuditLog, AuditOutbox } from '@quickcart/audit';
import { allow, parse, route } from '@quickcart/kit';
import { Router } from 'express';
import { z } from 'zod';
import type { Broadcasts } from '../admin/broadcasts';
import type { ShopSettings } from '../admin/shop-settings';
import * as c from '../contract';
import type { Users } from '../users/users';
import { actingAdmin } from './acting-admin';
import type { Vouchers } from '../vouchers/vouchers';

export interface AdminRouteDeps {
  users: Users;
  settings: ShopSettings;
  broadcasts: Broadcasts;
  vouchers: Vouchers;
  audit: AuditLog;
  outbox: AuditOutbox;
}

const broadcastParam = z.object({ id: c.broadcastId });

/** What the gateway's admin commands call (docs/features.md §3.2, system): each change is audited here. */
export function adminRoutes(d: AdminRouteDeps): Router {
  const r = Router();
  const admin = actingAdmin(d.users);
  r.get(
    '/settings/refund-formula',
    allow('gateway'),
    route(async (_req, res) => res.json(await d.settings.refundFormula())),
  );
  r.put(
    '/settings/refund-formula',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const b = parse(c.setFormulaBody, req.body);
      res.json(await d.settings.setRefundFormula(b.key, b.value, b.actor));
    }),
  );
  r.get(
    '/notification-groups',
    allow('gateway'),
    route(async (_req, res) => res.json({ chatIds: await d.settings.notificationGroups() })),
  );
  r.put(
    '/notification-groups/:chatId',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const { chatId } = parse(z.object({ chatId: c.groupChatId }), req.params);
      const { actor } = parse(c.groupBody, req.body);
      res.json({ changed: await d.settings.setNotificationGroup(chatId, true, actor) });
    }),
  );
  r.post(
    '/notification-groups/:chatId/remove',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const { chatId } = parse(z.object({ chatId: c.groupChatId }), req.params);
      const { actor } = parse(c.groupBody, req.body);
      res.json({ changed: await d.settings.setNotificationGroup(chatId, false, actor) });
    }),
  );
  r.post(
    '/notification-groups/:chatId/move',
    allow('worker'),
    route(async (req, res) => {
      const { chatId } = parse(z.object({ chatId: c.groupChatId }), req.params);
      const { to, actor } = parse(c.moveGroupBody, req.body);
      res.json({ changed: await d.settings.moveNotificationGroup(chatId, to, actor) });
    }),
  );
  r.post(
    '/broadcasts',
    allow('gateway'),
    actingAdmin(d.users, (body) => body.adminId),
    route(async (req, res) =>
      res.status(201).json(await d.broadcasts.start(parse(c.startBroadcastBody, req.body))),
    ),
  );
  r.get(
    '/broadcasts/:id',
    allow('gateway'),
    route(async (req, res) => res.json(await d.broadcasts.progress(parse(broadcastParam, req.params).id))),
  );
  r.post(
    '/broadcasts/:id/cancel',
    allow('gateway'),
    admin,
    route(async (req, res) => {
      const { actor } = parse(c.groupBody, req.body);
      res.json(await d.broadcasts.cancel(parse(broadcastParam, req.params).id, actor));
    }),
  );
  r.post(
    '/broadcasts/:id/finish',
    allow('worker'),
    route(async (req, res) => {
      await d.broadcasts.finish(parse(broadcastParam, req.params).id, parse(c.broadcastFinish, req.body));
      res.json({ ok: true });
    }),
  );
  r.get(
    '/broadcast-recipients',
    allow('worker'),
    route(async (req, res) => {
      const q = parse(
        z.object({
          afterUserId: z.coerce.number().int().nonnegative().default(0),
          limit: z.coerce.number().int().positive().max(1000).default(200),
        }),
        req.query,
      );
      res.json(await d.broadcasts.recipients(q.afterUserId, q.limit));
    }),
  );
  r.post(
    '/vouchers',
    allow('gateway'),
    admin,
    route(async (req, res) => res.status(201).json(await d.vouchers.create(parse(c.giveawayBody, req.body)))),
  );
  r.get(
    '/vouchers/check',
    allow('gateway'),
    route(async (req, res) => {
      const q = parse(c.voucherCheckQuery, req.query);
      res.json(await d.vouchers.check(q.code, q.userId));
    }),
  );
  r.get(
    '/audit',
    allow('gateway'),
    route(async (req, res) => {
      const q = parse(c.auditQuery, req.query);
      // Entries still waiting in the outbox are moved first, so a just-made change is in the answer.
      await d.outbox.flush();
      const items = await d.audit.latest({ user: q.user, reference: q.reference, limit: q.limit });
      res.json({ items: items.map((e) => ({ ...e, at: e.at.toISOString() })) });
    }),
  );
  return r;
}
