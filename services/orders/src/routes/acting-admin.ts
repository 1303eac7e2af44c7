import type { RequestHandler } from 'express';
import type { Users } from '../users/users';

/**
 * An admin route's second check, after the caller's (`allow('gateway')`): the admin the request names
 * is an admin in orders' own data, else 403 and nothing changes. A token lets a service call; only
 * orders says who is an admin (docs/security.md).
 */
export function actingAdmin(
  users: Users,
  actorOf: (body: Record<string, unknown>) => unknown = (body) => body.actor,
): RequestHandler {
  return (req, _res, next) => {
    const actor = actorOf((req.body ?? {}) as Record<string, unknown>);
    users
      .requireAdmin(typeof actor === 'string' || typeof actor === 'number' ? String(actor) : '')
      .then(() => next(), next);
  };
}
