import type { Request } from 'express';
import { z } from 'zod';
import * as c from './contract';

/** Path parameters the routers share, parsed with the contract's rules. */
export const idParam = z.object({ id: c.productId });
export const invoiceParam = z.object({ invoiceId: c.invoiceId });

/**
 * Who an admin write is for: the gateway names the admin in `x-actor` (CatalogClient.as); a write
 * without one is the system's. Either way it is audited.
 */
export const actorOf = (req: Request): string => {
  const actor = req.header(c.ACTOR_HEADER);
  return actor && /^(\d{1,20}|system)$/.test(actor) ? actor : 'system';
};
