/**
 * A Bot API refusal: `{ ok: false, error_code, description, parameters? }` with HTTP status = error_code,
 * which is what telegraf turns into a TelegramError.
 */
export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = 'BotApiError';
  }

  toJSON() {
    return {
      ok: false as const,
      error_code: this.code,
      description: this.description,
      ...(this.parameters && { parameters: this.parameters }),
    };
  }
}

export const badRequest = (what: string): BotApiError => new BotApiError(400, `Bad Request: ${what}`);

/** Telegram's own wording for the refusals bots most often have to recognise. */
export const refusals = {
  chatNotFound: () => badRequest('chat not found'),
  migrated: (to: number) =>
    new BotApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: to,
    }),
  blocked: () => new BotApiError(403, 'Forbidden: bot was blocked by the user'),
  notModified: () =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same ' +
        'as a current content and reply markup of the message',
    ),
  editNotFound: () => badRequest('message to edit not found'),
  deleteNotFound: () => badRequest('message to delete not found'),
  oldQuery: () => badRequest('query is too old and response timeout expired or query ID is invalid'),
  tooManyRequests: (retryAfter: number) =>
    new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter }),
  webhookActive: () =>
    new BotApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ),
  otherPoller: () =>
    new BotApiError(
      409,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    ),
};
