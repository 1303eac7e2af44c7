/**
 * The thresholds the owner's Telegram alerts share with Prometheus' rules (infra/prometheus/alerts.yml,
 * docs/operations.md §16), written once here: they are the defaults of the ALERT_* settings, and
 * infra/test/observability/files.test.ts checks that the rules file says the same.
 */
export const ALERT_RULES = {
  /** QuickCartPakasirRefusing: more than this share of Pakasir's calls failed over `window`, for `for`. */
  pakasirRefusing: { failedShare: 0.2, window: '5m', for: '5m' },
  /**
   * QuickCartTelegramRefusing: one of these results (a PromQL regex, anchored as PromQL anchors it) more
   * than `perSecond` a second over `window`, for `for`. 403 (a user who blocked the bot) is not one.
   */
  telegramRefusing: { results: '401|404|409|429|5..|network', perSecond: 0.2, window: '5m', for: '5m' },
  /** QuickCartWorkerNotPolling: no poll of the worker's task queues for `for`. */
  workerNotPolling: { for: '1m' },
} as const;

/** Whether a Telegram call's result (`ok`, `403`, `429`, `network`…) is a refusal the owner hears of. */
export const isTelegramRefusal = (result: string): boolean =>
  new RegExp(`^(?:${ALERT_RULES.telegramRefusing.results})$`).test(result);
