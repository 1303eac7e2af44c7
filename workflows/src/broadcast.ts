import { continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  type BroadcastCounts,
  type BroadcastInput,
  broadcastProgress,
  type BroadcastProgress,
  cancelBroadcast,
  FAILURE,
} from '@quickcart/workflow-api';
import { notice } from './notices';
import { broadcastSend, services } from './proxies';
import { refusedAs } from './steps';

/** Recipients fetched per page; one page's sends are in history at once. */
const PAGE = 200;
/**
 * Sends in flight at once. The pace is the Telegram task queue's rate cap (about 25 a second for the
 * whole bot, shared with order messages); this only keeps enough work queued to use it.
 */
const IN_FLIGHT = 25;
/** Past this, history starts afresh (continue-as-new), so a broadcast to any number of users fits. */
const HISTORY_LIMIT = 8_000;

/**
 * /broadcast (docs/features.md §3.2): one message to every user who has not blocked the bot. Each send's
 * idempotency key is the broadcast and the user, so a send retried after a worker dies (its activity
 * timed out, the gateway already sent) gets the first answer back: nobody receives two copies. A user
 * who blocked the bot is counted and recorded (the send activity marks them) and never retried. The
 * `progress` query reports sent / failed / remaining; the `cancelBroadcast` signal stops it between
 * sends; the admin gets the totals at the end. Workflow id `broadcast-<broadcastId>`.
 */
export async function broadcast(input: BroadcastInput): Promise<BroadcastProgress> {
  const { broadcastId, adminId, message } = input;
  const { pageSize, historyLimit } = input.tuning ?? { pageSize: PAGE, historyLimit: HISTORY_LIMIT };
  const counts: BroadcastCounts = { ...(input.resume?.counts ?? { sent: 0, failed: 0, blocked: 0 }) };
  let total = input.resume?.total ?? 0;
  let afterUserId = input.resume?.afterUserId ?? 0;
  let cancelled = false;
  let finished = false;
  const progress = (): BroadcastProgress => ({
    ...counts,
    total,
    remaining: finished && !cancelled ? 0 : Math.max(0, total - counts.sent - counts.failed),
    state: cancelled ? 'cancelled' : finished ? 'done' : 'sending',
  });
  setHandler(broadcastProgress, progress);
  setHandler(cancelBroadcast, () => void (cancelled = true));

  if (!input.resume) total = (await services.broadcastAudience()).total;

  const sendTo = async (userId: number) => {
    try {
      await broadcastSend().sendMessage({
        chatId: userId,
        key: `broadcast:${broadcastId}:${userId}`,
        message: { template: 'broadcast', data: message },
      });
      counts.sent += 1;
    } catch (error) {
      counts.failed += 1;
      if (refusedAs(error, FAILURE.botBlocked)) counts.blocked += 1;
    }
  };

  while (!cancelled) {
    const { userIds } = await services.broadcastRecipients({ afterUserId, limit: pageSize });
    if (userIds.length === 0) break;
    const queue = [...userIds];
    const lane = async () => {
      while (queue.length > 0 && !cancelled) await sendTo(queue.shift()!);
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    afterUserId = userIds[userIds.length - 1];
    if (
      !cancelled &&
      (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit)
    ) {
      await continueAsNew<typeof broadcast>({ ...input, resume: { afterUserId, counts, total } });
    }
  }

  finished = true;
  const result = progress();
  await services.finishBroadcast({ broadcastId, ...result });
  const key = `broadcast-done:${broadcastId}`;
  await notice(key, (t) =>
    t.sendMessage({
      chatId: adminId,
      key,
      message: { template: 'admin.broadcast_done', data: { ...result, broadcastId } },
    }),
  );
  return result;
}
