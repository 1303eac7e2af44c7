import { applies } from './patches';
import { ActivityFailure, ApplicationFailure, isCancellation, log } from '@temporalio/workflow';
import type { DigestedNotice } from '@quickcart/notify';
import { noticeSender, services } from './proxies';
import type { MessageActivities } from './worker/activities';

/**
 * A message that is not a money step: best effort (issue 11). Telegram's refusal (a customer who blocked
 * the bot, a group answering 400) was logged by the activity with its key; here it is noted in the
 * workflow's log and passed over, so it can never fail a payment or stop a refund. An outage or Telegram's
 * 429 is retried until the bound of `noticeSender` (proxies.ts), then passed over the same way. Returns whether the message went.
 */
export async function notice(
  key: string,
  send: (telegram: MessageActivities) => Promise<unknown>,
): Promise<boolean> {
  try {
    await send(noticeSender());
    return true;
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    log.warn('notice not sent; going on', {
      key,
      type: cause instanceof ApplicationFailure ? cause.type : cause?.name,
      message: cause?.message,
    });
    return false;
  }
}

/** Runs started before the digest sent each of these notices to the admins themselves. */
export const ADMIN_DIGEST = 'admin-digest';

/**
 * The admins hear of what went as it should (paid, expired, refunded) in orders' digest (issue 20):
 * one call to orders (a local activity for a press's run) instead of one capped Telegram call per admin
 * chat. Older runs keep sending it themselves.
 */
export async function tellAdmins(key: string, message: DigestedNotice): Promise<void> {
  if (applies(ADMIN_DIGEST)) {
    await services.digestAdminNotice({ key, message });
    return;
  }
  await notice(key, (t) => t.notifyAdmins({ key, message }));
}
