export { PakasirClient, type PakasirClientOptions } from './client';
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
export { qrisFee, type QrisFeeRate } from './fee';
export { paymentState, type PaymentState } from './payment-state';
