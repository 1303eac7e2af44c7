import { Client, Connection } from '@temporalio/client';

export interface HistoryFigures {
  sampled: number;
  /** Events in a purchase's history, on average. */
  eventsPerPurchase: number;
  /** Activities scheduled per purchase, on average. */
  activitiesPerPurchase: number;
  /**
   * Activities on the Telegram task queue per purchase: the calls the bot's shared cap
   * (TELEGRAM_RATE_PER_SECOND activities a second for the whole queue, docs/architecture.md §8) pays for.
   */
  cappedCallsPerPurchase: number;
}

/**
 * Reads the histories of up to `sample` finished purchases (their workflow ids are `purchase-<invoice>`)
 * and counts what each cost Temporal: events, activities, and activities on the capped Telegram queue.
 */
export async function purchaseHistories(
  address: string,
  invoiceIds: string[],
  sample = 20,
): Promise<HistoryFigures> {
  const picked = invoiceIds.slice(-sample);
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    let events = 0;
    let activities = 0;
    let capped = 0;
    for (const invoiceId of picked) {
      const history = await client.workflow.getHandle(`purchase-${invoiceId}`).fetchHistory();
      if (process.env.BENCH_DUMP_HISTORY && invoiceId === picked[0])
        console.error((history.events ?? []).map((e) => `${e.eventId} ${Object.keys(e).find((k) => k.endsWith('EventAttributes'))} ${JSON.stringify(e.markerRecordedEventAttributes?.markerName ?? e.activityTaskScheduledEventAttributes?.activityType?.name ?? '')}`).join('\n'));
      for (const e of history.events ?? []) {
        events++;
        const scheduled = e.activityTaskScheduledEventAttributes;
        if (!scheduled) continue;
        activities++;
        if (scheduled.taskQueue?.name?.endsWith('-telegram')) capped++;
      }
    }
    const per = (n: number) => (picked.length === 0 ? 0 : n / picked.length);
    return {
      sampled: picked.length,
      eventsPerPurchase: per(events),
      activitiesPerPurchase: per(activities),
      cappedCallsPerPurchase: per(capped),
    };
  } finally {
    await connection.close();
  }
}
