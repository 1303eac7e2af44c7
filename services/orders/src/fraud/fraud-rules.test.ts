import { DEFAULT_FRAUD_THRESHOLDS as T, fraudSignals, type PaidOrderFacts } from './fraud-rules';

/** An ordinary payment: an old account, one Rp50.000 purchase today. */
const calm: PaidOrderFacts = {
  kind: 'purchase',
  total: 50_000,
  accountAgeHours: 24 * 30,
  paymentsLastHour: 1,
  totalLast24Hours: 50_000,
  smallPaymentsLastHour: 0,
};
const rules = (f: Partial<PaidOrderFacts>) => fraudSignals({ ...calm, ...f }, T).map((s) => s.rule);

describe('anti-fraud flags (docs/features.md §4), each at its line', () => {
  it('flags nothing on an ordinary payment', () => {
    expect(rules({})).toEqual([]);
  });

  it('flags the sixth payment in an hour, not the fifth', () => {
    expect(rules({ paymentsLastHour: 5 })).toEqual([]);
    expect(fraudSignals({ ...calm, paymentsLastHour: 6 }, T)).toEqual([
      { rule: 'payments_per_hour', value: 6, threshold: 5 },
    ]);
  });

  it('flags more than Rp5.000.000 in 24 hours, not exactly that', () => {
    expect(rules({ totalLast24Hours: 5_000_000 })).toEqual([]);
    expect(rules({ totalLast24Hours: 5_000_001 })).toEqual(['daily_total']);
  });

  it('flags one payment over Rp1.000.000, not exactly that', () => {
    expect(rules({ total: 1_000_000, totalLast24Hours: 1_000_000 })).toEqual([]);
    expect(rules({ total: 1_000_001, totalLast24Hours: 1_000_001 })).toEqual(['large_transaction']);
  });

  it('flags an account younger than 24 hours buying over Rp500.000', () => {
    const young = { accountAgeHours: 23.9, totalLast24Hours: 0 };
    expect(rules({ ...young, total: 500_000 })).toEqual([]);
    expect(rules({ ...young, total: 500_001 })).toEqual(['young_account']);
    expect(rules({ ...young, accountAgeHours: 24, total: 500_001 })).toEqual([]);
    // A deposit is not buying.
    expect(rules({ ...young, kind: 'deposit', total: 500_001 })).toEqual([]);
  });

  it('flags the tenth payment under Rp10.000 in an hour, not the ninth', () => {
    expect(rules({ smallPaymentsLastHour: 9 })).toEqual([]);
    expect(rules({ smallPaymentsLastHour: 10 })).toEqual(['small_transactions']);
  });

  it('takes its lines from the settings', () => {
    expect(fraudSignals({ ...calm, total: 60_000 }, { ...T, largeTransaction: 50_000 })).toEqual([
      { rule: 'large_transaction', value: 60_000, threshold: 50_000 },
    ]);
  });
});
