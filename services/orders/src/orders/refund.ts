/** docs/features.md §3.4 and /setformula: the refund calculator's parameters. */
export interface RefundFormula {
  base_days: number;
  m_lt7: number;
  m_ge7: number;
  m_claims_1_2: number;
  m_claims_3: number;
  m_claims_gt3: number;
}

export const DEFAULT_REFUND_FORMULA: RefundFormula = {
  base_days: 30,
  m_lt7: 0.8,
  m_ge7: 0.7,
  m_claims_1_2: 0.6,
  m_claims_3: 0.5,
  m_claims_gt3: 0.4,
};

export interface RefundEstimate {
  purchasePrice: number;
  daysUsed: number;
  baseDays: number;
  claims: number;
  multiplier: number;
  refund: number;
}

const DAY = 86_400_000;

/**
 * refund = price × (base − days_used) / base × multiplier, rounded down; days_used are whole days since
 * payment; after base days nothing. Worked in whole percent so 0.7 never becomes 0.69999.
 */
export function estimateRefund(
  a: { purchasePrice: number; paidAt: Date; now: Date; claims: number },
  f: RefundFormula = DEFAULT_REFUND_FORMULA,
): RefundEstimate {
  const daysUsed = Math.max(0, Math.floor((a.now.getTime() - a.paidAt.getTime()) / DAY));
  const multiplier =
    a.claims > 3
      ? f.m_claims_gt3
      : a.claims === 3
        ? f.m_claims_3
        : a.claims >= 1
          ? f.m_claims_1_2
          : daysUsed < 7
            ? f.m_lt7
            : f.m_ge7;
  const remaining = Math.max(0, f.base_days - daysUsed);
  const percent = Math.round(multiplier * 100);
  const refund = Math.floor((a.purchasePrice * remaining * percent) / (f.base_days * 100));
  return {
    purchasePrice: a.purchasePrice,
    daysUsed,
    baseDays: f.base_days,
    claims: a.claims,
    multiplier,
    refund,
  };
}
