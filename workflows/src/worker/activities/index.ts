import { broadcastActivities } from './broadcasts';
import { classified } from './failures';
import { messageActivities, type MessageDeps } from './messages';
import { paymentActivities, type PaymentDeps } from './payments';
import { warrantyActivities } from './warranty';

export type ActivityDeps = PaymentDeps & MessageDeps;

/** Activities that talk to our services and Pakasir, a broadcast's and a warranty claim's included (task queue `payments`). */
export const createPaymentActivities = (deps: PaymentDeps) =>
  classified({ ...paymentActivities(deps), ...broadcastActivities(deps), ...warrantyActivities(deps) });
/** Activities that send to Telegram (task queue `telegram-out`, rate-capped). */
export const createMessageActivities = (deps: MessageDeps) => classified(messageActivities(deps));

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
export type MessageActivities = ReturnType<typeof createMessageActivities>;
export { FAILURE } from './failures';
