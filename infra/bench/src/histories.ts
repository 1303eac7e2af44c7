import { Client, Connection, type WorkflowHandle } from '@temporalio/client';

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

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/**
 * BENCH_HISTORY_EVENTS=1: one sampled purchase's events, one a line (id, type, and a marker's or an
 * activity's name), to stderr: where a purchase's events go, for the next cut.
 */
function printEvents(invoiceId: string, events: HistoryEvent[]): void {
  const lines = events.map((e) => {
    const type = Object.keys(e)
      .find((k) => k.endsWith('EventAttributes'))
      ?.replace('EventAttributes', '');
    const name =
      e.markerRecordedEventAttributes?.markerName ??
      e.activityTaskScheduledEventAttributes?.activityType?.name;
    return `  ${String(e.eventId)} ${type ?? '?'}${name ? ` ${name}` : ''}`;
  });
  console.error(`[bench] purchase-${invoiceId}: ${events.length} events\n${lines.join('\n')}`);
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
      if (process.env.BENCH_HISTORY_EVENTS && invoiceId === picked[0])
        printEvents(invoiceId, history.events ?? []);
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
