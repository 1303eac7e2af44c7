/** One band of Pakasir's QRIS fee: for amounts above `above`, round(amount × percent / 100) + fixed. */
export interface QrisFeeTier {
  /** The band starts above this amount (0 for the first band). */
  above: number;
  /** Percent of the amount, e.g. 0.7 for 0.7%. At most two decimals (whole basis points). */
  percent: number;
  /** Fixed part in rupiah. */
  fixed: number;
}

/** Bands in ascending `above`, the first starting at 0. */
export type QrisFeeModel = readonly QrisFeeTier[];

/**
 * The model Pakasir's integrators agree on (docs/features.md §2.5): 0.7% + Rp310 up to Rp105.000, 1% above,
 * rounded half up. Only a quote: Pakasir's own answer to the create is what the customer pays.
 */
export const PAKASIR_QRIS_FEE_TIERS = '0.7%+310,105000:1%';

/** The smallest amount Pakasir takes by QRIS (docs/features.md §4). */
export const QRIS_MIN_AMOUNT = 500;

/**
 * What Pakasir adds to a QRIS payment by the model (docs/features.md §2.5; Rp30.000 → fee 520 → the customer
 * pays 30.520). Worked in whole basis points and BigInt so 0.7% never becomes 0.007000000000000001 and a
 * big amount never loses digits; rounded half up, as Pakasir rounds.
 */
export function qrisFee(amount: number, model: QrisFeeModel = DEFAULT_MODEL): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`qrisFee: amount must be a whole, non-negative rupiah amount, got ${amount}`);
  }
  const tier = tierFor(amount, model);
  const basisPoints = BigInt(toBasisPoints(tier.percent));
  // Half up for non-negative numbers: add half the divisor, then truncate.
  return Number((BigInt(amount) * basisPoints + 5_000n) / 10_000n) + tier.fixed;
}

/**
 * Reads the QRIS_FEE_TIERS setting: bands separated by `,`, each `[ABOVE:]PERCENT%[+FIXED]`, for amounts
 * above ABOVE; the first without `ABOVE:` (it starts at 0), the rest in ascending order. Default:
 * `0.7%+310,105000:1%`. No `;`, `>` or spaces needed, so a .env that bash sources reads it as written.
 */
export function parseQrisFeeTiers(text: string): QrisFeeModel {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new RangeError('QRIS fee tiers: none given');
  const tiers = parts.map((part, i) => {
    const m = /^(?:(\d+)\s*:)?\s*(\d+(?:\.\d+)?)\s*%\s*(?:\+\s*(\d+))?$/.exec(part);
    if (!m) throw new RangeError(`QRIS fee tiers: "${part}" is not like 0.7%+310 or 105000:1%`);
    const tier = { above: Number(m[1] ?? 0), percent: Number(m[2]), fixed: Number(m[3] ?? 0) };
    if ((i === 0) !== (m[1] === undefined))
      throw new RangeError('QRIS fee tiers: the first band, and only the first, starts without ABOVE:');
    return tier;
  });
  return checked(tiers);
}

const DEFAULT_MODEL = parseQrisFeeTiers(PAKASIR_QRIS_FEE_TIERS);

function checked(tiers: QrisFeeTier[]): QrisFeeModel {
  tiers.forEach((t, i) => {
    toBasisPoints(t.percent);
    if (!Number.isSafeInteger(t.fixed) || t.fixed < 0)
      throw new RangeError(`QRIS fee tiers: fixed must be whole rupiah, got ${t.fixed}`);
    if (!Number.isSafeInteger(t.above) || (i > 0 && t.above <= tiers[i - 1]!.above))
      throw new RangeError('QRIS fee tiers: bands must be in ascending order');
  });
  return Object.freeze(tiers.map((t) => Object.freeze({ ...t })));
}

function tierFor(amount: number, model: QrisFeeModel): QrisFeeTier {
  let tier = model[0];
  if (!tier) throw new RangeError('qrisFee: the fee model has no band');
  for (const t of model) if (amount > t.above) tier = t;
  return tier;
}

function toBasisPoints(percent: number): number {
  const basisPoints = Math.round(percent * 100);
  if (!Number.isFinite(percent) || basisPoints < 0 || Math.abs(basisPoints - percent * 100) > 1e-6) {
    throw new RangeError(`qrisFee: percent must be non-negative with at most two decimals, got ${percent}`);
  }
  return basisPoints;
}
