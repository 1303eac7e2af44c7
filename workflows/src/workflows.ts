// Every workflow the worker runs; the bundler starts here, so only deterministic code below.
export { purchase } from './purchase';
export { deposit } from './deposit';
export { latePayment } from './late-payment';
export { broadcast } from './broadcast';
export { reconcilePayments } from './reconciliation';
export { warrantyClaim } from './warranty-claim';
