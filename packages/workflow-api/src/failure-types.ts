/** Types of non-retryable activity failures the workflows branch on. No imports: workflow-safe. */
export const FAILURE = {
  outOfStock: 'OutOfStock',
  insufficientBalance: 'InsufficientBalance',
  botBlocked: 'BotBlocked',
  refused: 'Refused',
  /** A payment workflow that will not run: wrong workflow id, or an order it must not act on. */
  startRefused: 'PaymentStartRefused',
  /** A payment workflow that failed before the payment, after giving back what it held. */
  failedBeforePayment: 'PaymentFailedBeforePayment',
} as const;
