import type { Logger } from '@quickcart/kit';
import { TelegramError } from 'telegraf';

/** How long the gateway keeps asking before it gives up starting (then its supervisor restarts it). */
const STARTUP_BUDGET_MS = 120_000;

/**
 * A call the gateway cannot start without (getMe, setWebhook, deleteWebhook), tried until Telegram
 * answers: a 429 is waited out as Telegram asks, a 5xx or an unreachable Telegram again after 1 s
 * doubling to 10 s, for up to two minutes. A restart during a Telegram hiccup or a flood of our own
 * messages must not crash-loop the bot. Any other refusal (a revoked token: 401) fails at once.
 */
export async function untilTelegramAnswers<T>(
  what: string,
  call: () => Promise<T>,
  logger: Logger,
): Promise<T> {
  const giveUpAt = Date.now() + STARTUP_BUDGET_MS;
  for (let pauseMs = 1_000; ; pauseMs = Math.min(pauseMs * 2, 10_000)) {
    try {
      return await call();
    } catch (error) {
      const telegram = error instanceof TelegramError ? error : undefined;
      const passing = !telegram || telegram.code === 429 || telegram.code >= 500;
      if (!passing || Date.now() > giveUpAt) throw error;
      const waitMs = telegram?.code === 429 ? (telegram.parameters?.retry_after ?? 1) * 1000 : pauseMs;
      logger.warn('telegram did not answer at start; trying again', {
        call: what,
        code: telegram?.code,
        waitMs,
      });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
