/**
 * The anti-fraud signals of docs/features.md §4, as plain rules over what orders knows when an order is
 * paid. They only flag (admins are told, /info shows it); nothing is ever refused because of them.
 */
export const FRAUD_RULES = [
  'payments_per_hour',
  'daily_total',
  'large_transaction',
  'young_account',
  'small_transactions',
] as const;
export type FraudRule = (typeof FRAUD_RULES)[number];

/** The thresholds, settings of orders (FRAUD_*; defaults are §4's). */
export interface FraudThresholds {
  /** More than this many paid payments from one user in an hour. */
  maxPaymentsPerHour: number;
  /** More than this much paid by one user in 24 hours. */
  maxDailyTotal: number;
  /** One payment over this much. */
  largeTransaction: number;
  /** An account younger than this many hours… */
  youngAccountHours: number;
  /** …buying over this much. */
  youngAccountAmount: number;
  /** This many or more payments under `smallTransaction` in an hour. */
  smallTransactionsPerHour: number;
  smallTransaction: number;
}

export const DEFAULT_FRAUD_THRESHOLDS: FraudThresholds = {
  maxPaymentsPerHour: 5,
  maxDailyTotal: 5_000_000,
  largeTransaction: 1_000_000,
  youngAccountHours: 24,
  youngAccountAmount: 500_000,
  smallTransactionsPerHour: 10,
  smallTransaction: 10_000,
};

/** What the rules look at, for the order just paid (its own payment counted in every figure). */
export interface PaidOrderFacts {
  kind: 'purchase' | 'deposit';
  /** What the customer paid for this order, in rupiah. */
  total: number;
  /** How old the account was when this order was paid. */
  accountAgeHours: number;
  paymentsLastHour: number;
  totalLast24Hours: number;
  smallPaymentsLastHour: number;
}

/** How long a rule's figure looks back: a rule that fired is not fired again by the same user within it. */
export const RULE_WINDOW_HOURS: Record<FraudRule, number | undefined> = {
  payments_per_hour: 1,
  daily_total: 24,
  large_transaction: undefined,
  young_account: undefined,
  small_transactions: 1,
};

export interface FraudSignal {
  rule: FraudRule;
  /** The figure that crossed the line, and the line. */
  value: number;
  threshold: number;
}

export function fraudSignals(f: PaidOrderFacts, t: FraudThresholds): FraudSignal[] {
  const signals: FraudSignal[] = [];
  const flag = (rule: FraudRule, value: number, threshold: number) =>
    signals.push({ rule, value, threshold });
  if (f.paymentsLastHour > t.maxPaymentsPerHour)
    flag('payments_per_hour', f.paymentsLastHour, t.maxPaymentsPerHour);
  if (f.totalLast24Hours > t.maxDailyTotal) flag('daily_total', f.totalLast24Hours, t.maxDailyTotal);
  if (f.total > t.largeTransaction) flag('large_transaction', f.total, t.largeTransaction);
  if (f.kind === 'purchase' && f.accountAgeHours < t.youngAccountHours && f.total > t.youngAccountAmount)
    flag('young_account', f.total, t.youngAccountAmount);
  if (f.smallPaymentsLastHour >= t.smallTransactionsPerHour)
    flag('small_transactions', f.smallPaymentsLastHour, t.smallTransactionsPerHour);
  return signals;
}
