import type { Update } from 'telegraf/types';
import { z } from 'zod';

/** What the webhook takes from Telegram: an update (its id, the rest kept as sent for the handlers). */
export const telegramUpdate = z
  .object({ update_id: z.number().int().nonnegative() })
  .passthrough()
  // A group notice is the gateway's own entry in the inbox (notify/group-notices.ts), never Telegram's.
  .refine((u) => !('group_notice' in u), 'not an update')
  .transform((u) => u as unknown as Update);
