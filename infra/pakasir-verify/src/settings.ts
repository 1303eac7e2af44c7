import { loadConfig } from '@quickcart/kit';
import { PAKASIR_BASE_URL, qrisFeeTiersSetting } from '@quickcart/pakasir';
import { z } from 'zod';

/** Compose-style unset variables ("") count as not set. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * `npm run pakasir:verify`: a seller's Pakasir project in sandbox mode (paymentsimulation only works
 * there). The fee model is the one orders quotes with (QRIS_FEE_TIERS), so its row checks that setting.
 */
export const verifySettingsSchema = z.object({
  PAKASIR_PROJECT: z.string().min(1, 'required: the slug of a Pakasir project in sandbox mode'),
  PAKASIR_API_KEY: z.string().min(1, "required: that project's api key"),
  PAKASIR_BASE_URL: z.url().default(PAKASIR_BASE_URL),
  QRIS_FEE_TIERS: qrisFeeTiersSetting,
  /** The public URL registered as the project's webhook, reaching PAKASIR_VERIFY_WEBHOOK_PORT here. */
  PAKASIR_VERIFY_WEBHOOK_URL: optional(z.url()),
  PAKASIR_VERIFY_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  /** How long to wait for webhooks and their retries, in seconds. */
  PAKASIR_VERIFY_WEBHOOK_WAIT: z.coerce.number().int().positive().default(90),
});
export type VerifySettings = z.infer<typeof verifySettingsSchema>;

export const loadVerifySettings = (source: NodeJS.ProcessEnv = process.env): VerifySettings =>
  loadConfig(verifySettingsSchema, source);
