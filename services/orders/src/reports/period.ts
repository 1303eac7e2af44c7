import { Invalid } from '@quickcart/kit';
import { DateTime, IANAZone } from 'luxon';
import { ORDERS_REFUSAL, REPORT_PERIOD_PATTERN } from '../contract';

/** A report's period: the instants it covers, [from, to), and the shop's calendar days it names. */
export interface ResolvedPeriod {
  from: Date;
  to: Date;
  /** The first and last day, inclusive, in the shop's timezone (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
  timezone: string;
}

/** True for an IANA zone name luxon (and so Node's Intl) knows, e.g. Asia/Jakarta. */
export const isKnownTimezone = (zone: string): boolean => IANAZone.isValidZone(zone);

/**
 * The period rules of /report and /exportorders (docs/features.md §3.5), in the shop's timezone:
 * - `today`: the shop's current calendar day, midnight to midnight (23:30 UTC is already the next day
 *   in Jakarta, UTC+7);
 * - `week`: the current ISO week, Monday 00:00 to the next Monday 00:00;
 * - `month`: the current calendar month, the 1st 00:00 to the next 1st 00:00;
 * - `YYYY-MM-DD..YYYY-MM-DD`: both days included, the first not after the last.
 * A period may reach into the future (the rest of this week); there is simply nothing there yet.
 */
export function resolvePeriod(period: string, timezone: string, now: Date = new Date()): ResolvedPeriod {
  const m = REPORT_PERIOD_PATTERN.exec(period.trim());
  if (!m)
    throw new Invalid(
      `period "${period}" is not today, week, month or YYYY-MM-DD..YYYY-MM-DD`,
      ORDERS_REFUSAL.period,
    );
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (!local.isValid) throw new Error(`unknown timezone ${timezone}`);
  let start: DateTime;
  let end: DateTime;
  if (m[1] === 'today') {
    start = local.startOf('day');
    end = start.plus({ days: 1 });
  } else if (m[1] === 'week') {
    // luxon's weeks are ISO weeks: they start on Monday.
    start = local.startOf('week');
    end = start.plus({ weeks: 1 });
  } else if (m[1] === 'month') {
    start = local.startOf('month');
    end = start.plus({ months: 1 });
  } else {
    start = DateTime.fromISO(m[2], { zone: timezone });
    const last = DateTime.fromISO(m[3], { zone: timezone });
    if (!start.isValid || !last.isValid)
      throw new Invalid(`period "${period}" names a day that does not exist`, ORDERS_REFUSAL.period);
    if (last < start) throw new Invalid(`period "${period}" ends before it starts`, ORDERS_REFUSAL.period);
    end = last.plus({ days: 1 });
  }
  return {
    from: start.toJSDate(),
    to: end.toJSDate(),
    firstDay: start.toISODate()!,
    lastDay: end.minus({ days: 1 }).toISODate()!,
    timezone,
  };
}

/** An instant as the shop's wall-clock time, `YYYY-MM-DD HH:mm:ss` (the CSV export's time columns). */
export const shopTime = (at: Date, timezone: string): string =>
  DateTime.fromJSDate(at, { zone: timezone }).toFormat('yyyy-MM-dd HH:mm:ss');
