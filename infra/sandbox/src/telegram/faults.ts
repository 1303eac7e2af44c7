import { z } from 'zod';
import { BotApiError, refusals } from './api-error';
import type { BotApiCall } from './params';

export const failNextRule = z.object({
  /** A Bot API method, any case. Unset: every method except getUpdates. */
  method: z.string().min(1).optional(),
  /** Only calls naming this chat_id (a group that refuses while every other chat works). */
  chatId: z.number().int().optional(),
  count: z.number().int().min(1).default(1),
  /** Matching calls let through before the first refusal: fail the second message of two. */
  after: z.number().int().min(0).default(0),
  errorCode: z.number().int().min(400).max(599),
  /** Seconds, for 429; default 3. */
  retryAfter: z.number().int().min(1).optional(),
  description: z.string().min(1).optional(),
  /**
   * Only calls carrying this text: in `text`, `caption`, a JSON field (editMessageMedia's `media`) or an
   * uploaded file. Picks "the call with the goods" whichever method carries them.
   */
  textIncludes: z.string().min(1).optional(),
  /**
   * The call acts first, then answers the error: Telegram accepted the message but its answer was lost
   * (a 5xx or a dropped connection after the fact). The window in which a retry sends a duplicate.
   */
  applied: z.boolean().default(false),
});
export type FailNextRule = z.input<typeof failNextRule>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: injected by the sandbox',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: injected by the sandbox',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A refusal to answer, and whether the call acts before it (`applied`: the answer was lost). */
export interface Fault {
  error: BotApiError;
  applied: boolean;
}

/**
 * Refusals a test asks for: the next `count` calls of `method` answer `errorCode` without doing
 * anything, as Telegram refuses before acting; or, with `applied`, after acting.
 */
export class TelegramFaults {
  private rules: (z.output<typeof failNextRule> & { left: number; passes: number })[] = [];

  failNext(rule: FailNextRule): void {
    const parsed = failNextRule.parse(rule);
    this.rules.push({ ...parsed, left: parsed.count, passes: parsed.after });
  }

  /** The fault for this call (its method, the chat_id it names, what it carries), if a rule has one left. */
  take(method: string, call: Pick<BotApiCall, 'params' | 'files'>): Fault | undefined {
    const name = method.toLowerCase();
    // A polling bot calls getUpdates all the time; an unnamed rule would be spent there at once.
    const rule = this.rules.find(
      (r) =>
        (r.method ? r.method.toLowerCase() === name : name !== 'getupdates') &&
        (r.chatId === undefined || String(r.chatId) === String(call.params.chat_id)) &&
        (r.textIncludes === undefined || carries(call, r.textIncludes)),
    );
    if (!rule) return undefined;
    if (rule.passes > 0) {
      rule.passes--;
      return undefined;
    }
    if (--rule.left === 0) this.rules = this.rules.filter((r) => r !== rule);
    return { error: refusal(rule), applied: rule.applied };
  }

  pending(): { method?: string; chatId?: number; left: number; errorCode: number }[] {
    return this.rules.map(({ method, chatId, left, errorCode }) => ({ method, chatId, left, errorCode }));
  }

  reset(): void {
    this.rules = [];
  }
}

function refusal(rule: z.output<typeof failNextRule>): BotApiError {
  if (rule.errorCode === 429 && rule.description === undefined)
    return refusals.tooManyRequests(rule.retryAfter ?? 3);
  const description = rule.description ?? DESCRIPTIONS[rule.errorCode] ?? `Error ${rule.errorCode}`;
  const parameters = rule.retryAfter !== undefined ? { retry_after: rule.retryAfter } : undefined;
  return new BotApiError(rule.errorCode, description, parameters);
}

function carries(call: Pick<BotApiCall, 'params' | 'files'>, text: string): boolean {
  const fields = Object.values(call.params).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const files = [...call.files.values()].map((f) => f.bytes.toString('utf8'));
  return [...fields, ...files].some((s) => s?.includes(text));
}
