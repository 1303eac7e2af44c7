/** Types of non-retryable activity failures the workflows branch on. No imports: workflow-safe. */
export const FAILURE = {
  outOfStock: 'OutOfStock',
  insufficientBalance: 'InsufficientBalance',
  botBlocked: 'BotBlocked',
  refused: 'Refused',
} as const;
