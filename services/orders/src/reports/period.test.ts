import { Invalid } from '@quickcart/kit';
import { resolvePeriod, shopTime } from './period';

const JAKARTA = 'Asia/Jakarta';
const at = (iso: string) => new Date(iso);
const range = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()];

describe('report periods in the shop timezone', () => {
  it("'today' is the shop's calendar day: 23:30 UTC is already the next day in Jakarta", () => {
    const p = resolvePeriod('today', JAKARTA, at('2026-12-06T23:30:00Z'));
    expect(p).toMatchObject({ firstDay: '2026-12-07', lastDay: '2026-12-07', timezone: JAKARTA });
    // Jakarta midnight is 17:00 UTC the day before.
    expect(range(p)).toEqual(['2026-12-06T17:00:00.000Z', '2026-12-07T17:00:00.000Z']);
  });

  it("'today' at 16:59 UTC is still the same day in Jakarta", () => {
    const p = resolvePeriod('today', JAKARTA, at('2026-12-07T16:59:59Z'));
    expect(p.firstDay).toBe('2026-12-07');
  });

  it("'week' starts on Monday 00:00 and ends the next Monday, also when asked on a Sunday night", () => {
    // Sunday 6 December 2026, 22:00 in Jakarta: the week of Monday 30 November.
    const sunday = resolvePeriod('week', JAKARTA, at('2026-12-06T15:00:00Z'));
    expect(sunday).toMatchObject({ firstDay: '2026-11-30', lastDay: '2026-12-06' });
    expect(range(sunday)).toEqual(['2026-11-29T17:00:00.000Z', '2026-12-06T17:00:00.000Z']);
    // An hour and a half later it is Monday in Jakarta (still Sunday in UTC): a new week.
    const monday = resolvePeriod('week', JAKARTA, at('2026-12-06T17:30:00Z'));
    expect(monday).toMatchObject({ firstDay: '2026-12-07', lastDay: '2026-12-13' });
  });

  it("'month' is the calendar month, in the shop's timezone", () => {
    // 30 November 2026 20:00 UTC is 1 December 03:00 in Jakarta.
    const p = resolvePeriod('month', JAKARTA, at('2026-11-30T20:00:00Z'));
    expect(p).toMatchObject({ firstDay: '2026-12-01', lastDay: '2026-12-31' });
    expect(range(p)).toEqual(['2026-11-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z']);
    expect(resolvePeriod('month', JAKARTA, at('2028-02-10T00:00:00Z')).lastDay).toBe('2028-02-29');
  });

  it('a range includes both days', () => {
    const p = resolvePeriod('2026-12-01..2026-12-07', JAKARTA);
    expect(range(p)).toEqual(['2026-11-30T17:00:00.000Z', '2026-12-07T17:00:00.000Z']);
    expect(resolvePeriod('2026-12-05..2026-12-05', JAKARTA)).toMatchObject({
      firstDay: '2026-12-05',
      lastDay: '2026-12-05',
    });
  });

  it('follows another timezone, daylight saving included', () => {
    // New York's day of the spring change (8 March 2026) has 23 hours.
    const p = resolvePeriod('2026-03-08..2026-03-08', 'America/New_York');
    expect(range(p)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(resolvePeriod('today', 'UTC', at('2026-12-06T23:30:00Z')).firstDay).toBe('2026-12-06');
  });

  it.each([
    ['yesterday'],
    ['2026-12-01'],
    ['2026-12-01..'],
    ['2026-12-1..2026-12-07'],
    ['2026-02-30..2026-03-01'],
    ['2026-13-01..2026-13-02'],
    ['2026-12-07..2026-12-01'],
  ])('refuses %s as a period', (period) => {
    expect(() => resolvePeriod(period, JAKARTA)).toThrow(Invalid);
  });

  it("writes an instant as the shop's wall-clock time", () => {
    expect(shopTime(at('2026-12-06T23:30:00Z'), JAKARTA)).toBe('2026-12-07 06:30:00');
  });
});
