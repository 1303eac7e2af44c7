export { PAKASIR_BASE_URL, PakasirClient, type PakasirCall, type PakasirClientOptions } from './client';
export {
  isPaid,
  PAID_STATUS,
  pakasirWebhookBody,
  wireRupiah,
  type OrderRef,
  type PakasirPayment,
  type PakasirTransaction,
  type PakasirWebhookBody,
} from './contract';
export {
  PAKASIR_QRIS_FEE_TIERS,
  parseQrisFeeTiers,
  qrisFee,
  QRIS_MIN_AMOUNT,
  type QrisFeeModel,
  type QrisFeeTier,
} from './fee';
export { qrisFeeTiersSetting } from './fee-setting';
export { paymentState, type PaymentState } from './payment-state';
export { pakasirCallMetrics } from './metrics';
