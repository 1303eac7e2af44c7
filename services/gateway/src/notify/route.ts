import { Conflict, Invalid, parse, route, Upstream, type Logger } from '@quickcart/kit';
import { NOTIFY_REASONS, notifyRequest, type NotifyRequest, type NotifyResponse } from '@quickcart/notify';
import { Router } from 'express';
import { Input, TelegramError, type Telegram } from 'telegraf';
import type { Kv } from '../session/kv';
import { render, type Outgoing } from './render';

const KEEP_SECONDS = 7 * 24 * 3600; // longer than any workflow retries a send

/**
 * POST /notify (the contract in @quickcart/notify): renders and sends, edits or deletes. Idempotent by
 * key: a retried activity gets the first answer, never a second message. Telegram's refusals come back
 * typed: 429 with its retry-after (retry later), 403 blocked (do not retry).
 */
export function notifyRoutes(telegram: Telegram, kv: Kv, logger: Logger): Router {
  const inFlight = new Map<string, Promise<NotifyResponse>>();
  const r = Router();
  r.post(
    '/notify',
    route(async (req, res) => {
      const request = parse(notifyRequest, req.body);
      const done = await kv.get(`notify:${request.idempotencyKey}`);
      if (done) return res.json(storedAnswer(done));
      let work = inFlight.get(request.idempotencyKey);
      if (!work) {
        work = performFollowingMigration(telegram, kv, request, logger).finally(() =>
          inFlight.delete(request.idempotencyKey),
        );
        inFlight.set(request.idempotencyKey, work);
      }
      const answer = await work.catch((error) => {
        throw asNotifyError(error, request, logger);
      });
      await kv.set(`notify:${request.idempotencyKey}`, JSON.stringify(answer), KEEP_SECONDS);
      res.json(answer);
    }),
  );
  return r;
}

/**
 * A basic group Telegram upgraded to a supergroup answers 400 with `migrate_to_chat_id`: the same people
 * under a new id. A send is tried once more there, and the answer names the new id (`movedTo`) so the
 * caller updates the whitelisted group (issue 11). Edits and deletes name messages of the old chat.
 */
async function performFollowingMigration(
  telegram: Telegram,
  kv: Kv,
  request: NotifyRequest,
  logger: Logger,
): Promise<NotifyResponse> {
  try {
    return { messageIds: await perform(telegram, kv, request, request.chatId) };
  } catch (error) {
    const movedTo = error instanceof TelegramError ? error.parameters?.migrate_to_chat_id : undefined;
    if (request.action !== 'send' || movedTo === undefined) throw error;
    logger.warn('chat became a supergroup; sending there', { chatId: request.chatId, movedTo });
    return { messageIds: await perform(telegram, kv, request, movedTo), movedTo };
  }
}

/** What an earlier call with the same key answered (before `movedTo`: just its message ids). */
function storedAnswer(done: string): NotifyResponse {
  const stored = JSON.parse(done) as number[] | NotifyResponse;
  return Array.isArray(stored) ? { messageIds: stored } : stored;
}

async function perform(
  telegram: Telegram,
  kv: Kv,
  request: NotifyRequest,
  chatId: number,
): Promise<number[]> {
  if (request.action === 'delete') {
    await telegram.deleteMessage(chatId, request.messageId).catch(ignore(/message to delete not found/));
    return [];
  }
  const [first, ...rest] = render(request.message);
  if (request.action === 'edit') {
    const html = first.kind === 'text' ? first.html : first.caption;
    await telegram
      .editMessageText(chatId, request.messageId, undefined, html, {
        parse_mode: 'HTML',
        ...(first.kind === 'text' ? first.extra : {}),
      })
      .catch(ignore(/message is not modified/));
    return [request.messageId];
  }
  // Each message of a request is its own idempotent unit: when the second of two fails, the retry
  // sends only the second (the customer never sees the first twice).
  const ids: number[] = [];
  for (const [index, out] of [first, ...rest].entries()) {
    const partKey = `notify:${request.idempotencyKey}#${index}`;
    const sent = await kv.get(partKey);
    if (sent) {
      ids.push(Number(sent));
      continue;
    }
    const id = (await send(telegram, chatId, out)).message_id;
    await kv.set(partKey, String(id), KEEP_SECONDS);
    ids.push(id);
  }
  return ids;
}

function send(telegram: Telegram, chatId: number, out: Outgoing) {
  switch (out.kind) {
    case 'text':
      return telegram.sendMessage(chatId, out.html, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...out.extra,
      });
    case 'photo':
      return telegram.sendPhoto(
        chatId,
        typeof out.photo === 'string' ? out.photo : Input.fromBuffer(out.photo, 'qris.png'),
        {
          caption: out.caption,
          parse_mode: 'HTML',
          ...out.extra,
        },
      );
    case 'document':
      return telegram.sendDocument(chatId, Input.fromBuffer(out.content, out.filename), {
        caption: out.caption,
      });
  }
}

/** Telegram's "already so" answers mean the job is done (Telegram's wording; matched loosely). */
const ignore = (pattern: RegExp) => (error: unknown) => {
  if (!(error instanceof TelegramError && error.code === 400 && pattern.test(error.description))) throw error;
};

function asNotifyError(error: unknown, request: NotifyRequest, logger: Logger): Error {
  if (!(error instanceof TelegramError))
    return new Upstream(`telegram unreachable: ${(error as Error).message}`, true, 'telegram_unreachable');
  logger.warn('telegram refused', {
    chatId: request.chatId,
    action: request.action,
    code: error.code,
    description: error.description,
  });
  if (error.code === 429) {
    return new Upstream(error.description, true, NOTIFY_REASONS.rateLimited, {
      retryAfterSeconds: error.parameters?.retry_after ?? 5,
    });
  }
  if (error.code === 403) return new Conflict(error.description, NOTIFY_REASONS.botBlocked);
  if (error.code === 400 && /not found/.test(error.description))
    return new Conflict(error.description, NOTIFY_REASONS.messageGone);
  if (error.code >= 500) return new Upstream(error.description, true, 'telegram_5xx');
  return new Invalid(error.description, 'telegram_refused');
}
