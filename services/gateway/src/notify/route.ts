import { allow, Conflict, Invalid, parse, route, Upstream, type Logger } from '@quickcart/kit';
import { NOTIFY_REASONS, notifyRequest, type NotifyRequest, type NotifyResponse } from '@quickcart/notify';
import { Router } from 'express';
import { TelegramError, type Telegram } from 'telegraf';
import type { ChatPace } from '../chat-pace';
import type { Inbox } from '../inbox/inbox';
import type { Kv } from '../session/kv';
import { mayWaitInInbox, queueGroupNotice, waitAsked } from './group-notices';
import { splitCaption, splitHtml } from '../telegram-limits';
import { showReceipt } from './receipt';
import { render, type Outgoing } from './render';
import { ignore, KEEP_SECONDS, sendPart, type SendDeps } from './sends';

/**
 * POST /notify (the contract in @quickcart/notify): renders and sends, edits or deletes. Idempotent by
 * key once an answer is recorded: a retried activity gets the first answer. A retry after an unknown
 * outcome (the gateway died mid-send, Telegram's answer lost) sends again, except the goods, which go as
 * an edit of a placeholder (sends.ts, docs/delivery.md). Telegram's refusals come back typed: 429 with
 * its retry-after (retry later), 403 blocked (do not retry).
 */
export function notifyRoutes(
  telegram: Telegram,
  kv: Kv,
  logger: Logger,
  groups: { inbox: Inbox; pace: ChatPace },
): Router {
  const inFlight = new Map<string, Promise<NotifyResponse>>();
  const r = Router();
  r.post(
    '/notify',
    allow('worker', 'orders'),
    route(async (req, res) => {
      const request = parse(notifyRequest, req.body);
      const done = await kv.get(`notify:${request.idempotencyKey}`);
      if (done) return res.json(storedAnswer(done));
      let work = inFlight.get(request.idempotencyKey);
      if (!work) {
        work = performOrQueue({ telegram, kv, logger }, groups, request).finally(() =>
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
 * A notice to a group goes now when the group's turn is now (chat-pace.ts); otherwise, or when Telegram
 * answers 429 all the same, it waits in the inbox for its turn (group-notices.ts) and /notify answers
 * `queued` at once, so the worker's activity is not held. Behind a notice already waiting, it waits too:
 * a group reads its notices in order.
 */
async function performOrQueue(
  deps: SendDeps,
  groups: { inbox: Inbox; pace: ChatPace },
  request: NotifyRequest,
): Promise<NotifyResponse> {
  if (!mayWaitInInbox(request)) return performFollowingMigration(deps, request);
  const queue = async (notBefore: number): Promise<NotifyResponse> => {
    await queueGroupNotice(groups.inbox, request, notBefore);
    deps.logger.info('group notice waits for its turn', {
      chatId: request.chatId,
      notBefore: new Date(notBefore).toISOString(),
    });
    return { messageIds: [], queued: true };
  };
  if (await groups.inbox.isHeld(request.chatId)) return queue(Date.now());
  const turnInMs = await groups.pace.waitMs(request.chatId);
  if (turnInMs > 0) return queue(Date.now() + turnInMs);
  try {
    return await performFollowingMigration(deps, request);
  } catch (error) {
    const wait = waitAsked(error);
    if (wait === undefined) throw error;
    return queue(Date.now() + wait * 1000);
  }
}

/**
 * A basic group Telegram upgraded to a supergroup answers 400 with `migrate_to_chat_id`: the same people
 * under a new id. A send is tried once more there, and the answer names the new id (`movedTo`) so the
 * caller updates the whitelisted group (issue 11). Edits and deletes name messages of the old chat.
 */
export async function performFollowingMigration(
  deps: SendDeps,
  request: NotifyRequest,
): Promise<NotifyResponse> {
  try {
    return { messageIds: await perform(deps, request, request.chatId) };
  } catch (error) {
    const movedTo = error instanceof TelegramError ? error.parameters?.migrate_to_chat_id : undefined;
    if (request.action !== 'send' || movedTo === undefined) throw error;
    deps.logger.warn('chat became a supergroup; sending there', { chatId: request.chatId, movedTo });
    return { messageIds: await perform(deps, request, movedTo), movedTo };
  }
}

/** What an earlier call with the same key answered (before `movedTo`: just its message ids). */
function storedAnswer(done: string): NotifyResponse {
  const stored = JSON.parse(done) as number[] | NotifyResponse;
  return Array.isArray(stored) ? { messageIds: stored } : stored;
}

async function perform({ telegram, kv, logger }: SendDeps, request: NotifyRequest, chatId: number) {
  if (request.action === 'delete') {
    await telegram.deleteMessage(chatId, request.messageId).catch(ignore(/message to delete not found/));
    return [];
  }
  const m = request.message;
  if (request.action === 'send' && m.template === 'purchase.delivered' && m.data.receiptOf !== undefined) {
    if (await showReceipt(telegram, chatId, m.data.receiptOf, m.data)) return [m.data.receiptOf];
    logger.warn('the QR could not become the receipt; the goods go as new messages', {
      chatId,
      invoiceId: m.data.invoiceId,
    });
  }
  const [first, ...rest] = fitted(render(request.message));
  if (request.action === 'edit') {
    await editShown(telegram, chatId, request.messageId, first);
    return [request.messageId];
  }
  // Each message of a request is its own idempotent unit: when the second of two fails, the retry
  // sends only the second (the customer never sees the first twice).
  const ids: number[] = [];
  for (const [index, out] of [first, ...rest].entries()) {
    ids.push(
      await sendPart({ telegram, kv, logger }, `notify:${request.idempotencyKey}#${index}`, chatId, out),
    );
  }
  return ids;
}

/**
 * The message workflows edit is the QR, a photo: Telegram refuses editMessageText on a photo ("there
 * is no text in the message to edit"), so its caption is edited; a text message takes the text edit.
 */
async function editShown(telegram: Telegram, chatId: number, messageId: number, out: Outgoing) {
  const html = out.kind === 'text' ? out.html : out.caption;
  const extra = { parse_mode: 'HTML' as const, ...(out.kind === 'document' ? {} : out.extra) };
  const notModified = ignore(/message is not modified/);
  try {
    await telegram.editMessageCaption(chatId, messageId, undefined, html, extra).catch(notModified);
  } catch (error) {
    ignore(/there is no caption in the message to edit/)(error);
    await telegram.editMessageText(chatId, messageId, undefined, html, extra).catch(notModified);
  }
}

/**
 * Rendered messages as Telegram takes them: a text over 4096 characters becomes several messages, a
 * photo whose caption is over 1024 keeps what fits and the rest follows as text (telegram-limits.ts).
 * Buttons stay on the last message; a message with a placeholder is short by construction.
 */
function fitted(outgoing: Outgoing[]): [Outgoing, ...Outgoing[]] {
  const out = outgoing.flatMap((o): Outgoing[] => {
    if (o.kind === 'text' && o.placeholder === undefined) {
      const parts = splitHtml(o.html);
      return parts.map((html, i) => ({
        kind: 'text',
        html,
        ...(i === parts.length - 1 && { extra: o.extra }),
      }));
    }
    if (o.kind === 'photo') {
      const { caption, rest } = splitCaption(o.caption);
      if (rest.length === 0) return [o];
      return [
        { kind: 'photo', photo: o.photo, caption },
        ...rest.map((html, i): Outgoing => ({
          kind: 'text',
          html,
          ...(i === rest.length - 1 && { extra: o.extra }),
        })),
      ];
    }
    return [o];
  });
  return out as [Outgoing, ...Outgoing[]];
}

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
