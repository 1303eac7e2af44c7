import { z } from 'zod';
import { PAKASIR_QRIS_FEE_TIERS, parseQrisFeeTiers } from './fee';

/**
 * The QRIS_FEE_TIERS setting (format: parseQrisFeeTiers), read the same way by orders' checkout quote
 * and by `npm run pakasir:verify`, which checks it against what Pakasir charges.
 */
export const qrisFeeTiersSetting = z
  .string()
  .default(PAKASIR_QRIS_FEE_TIERS)
  .transform((value, ctx) => {
    try {
      return parseQrisFeeTiers(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
