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
export { paymentState, type PaidVia, type PaymentState } from './payment-state';
export {
  methodFee,
  PAKASIR_VA_METHODS,
  PAYMENT_METHOD_PATTERN,
  paymentMethodName,
  type PakasirVaMethod,
} from './methods';
export { pakasirCallMetrics } from './metrics';
