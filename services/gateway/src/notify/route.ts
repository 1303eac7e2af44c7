import { allow, Conflict, Invalid, parse, route, Upstream, type Logger } from '@quickcart/kit';
import { NOTIFY_REASONS, notifyRequest, type NotifyRequest, type NotifyResponse } from '@quickcart/notify';
import { Router } from 'express';
import { Input, TelegramError, type Telegram } from 'telegraf';
import type { ChatPace } from '../chat-pace';
import type { Inbox } from '../inbox/inbox';
import type { Kv } from '../session/kv';
import { mayWaitInInbox, queueGroupNotice, waitAsked } from './group-notices';
import { splitCaption, splitHtml } from '../telegram-limits';
import { CLOSED_QR_IMAGE } from './closed-image';
import { NO_BUTTONS, showReceipt } from './receipt';
import { render, speaksCopy, type Outgoing } from './render';
import { SHOP_LANGUAGE } from '../copy/languages';
import type { RecipientLanguages } from '../recipient-languages';
import { ignore, KEEP_SECONDS, sendPart, type SendDeps } from './sends';

/**
 * Sends, edits or deletes as a `NotifyRequest` says, idempotent by its key once an answer is recorded:
 * a repeat gets the first answer. A repeat after an unknown outcome (the gateway died mid-send,
 * Telegram's answer lost) sends again, except the goods, which go as an edit of a placeholder (sends.ts,
 * docs/delivery.md). Telegram's refusals come back typed: 429 with its retry-after (retry later), 403
 * blocked (do not retry). The one way the gateway sends what workflows ask for, and the QR it shows as
 * its reply to a press (flows/qr-reply.ts), so a QR asked for by both is sent once. Every send keeps
 * the groups' pace (the bot's client, retry-after.ts); an admin notice to a group whose turn is later
 * waits in the inbox and is answered `queued` (performOrQueue). A private chat's message (the QR) is
 * never queued: its long 429 reaches the caller, and a press defers its update (bot.ts).
 */
export type Notifier = (request: NotifyRequest) => Promise<NotifyResponse>;

/** Where a group notice waits for its group's turn (notify/group-notices.ts), and the groups' pace. */
export interface GroupTurns {
  inbox: Pick<Inbox, 'add' | 'isHeld'>;
  pace: ChatPace;
}

export function notifier(
  telegramOf: () => Telegram,
  kv: Kv,
  languages: RecipientLanguages,
  logger: Logger,
  groupsOf: () => GroupTurns,
): Notifier {
  const inFlight = new Map<string, Promise<NotifyResponse>>();
  return async (request) => {
    const done = await kv.get(`notify:${request.idempotencyKey}`);
    if (done) return storedAnswer(done);
    let work = inFlight.get(request.idempotencyKey);
    if (!work) {
      const deps = { telegram: telegramOf(), kv, logger, languages };
      work = performOrQueue(deps, groupsOf(), request).finally(() => inFlight.delete(request.idempotencyKey));
      inFlight.set(request.idempotencyKey, work);
    }
    const answer = await work.catch((error) => {
      throw asNotifyError(error, request, logger);
    });
    await kv.set(`notify:${request.idempotencyKey}`, JSON.stringify(answer), KEEP_SECONDS);
    return answer;
  };
}

/** POST /notify (the contract in @quickcart/notify): what workflows and orders ask the gateway to send. */
export function notifyRoutes(notify: Notifier): Router {
  const r = Router();
  r.post(
    '/notify',
    allow('worker', 'orders'),
    route(async (req, res) => res.json(await notify(parse(notifyRequest, req.body)))),
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
  deps: NotifyDeps,
  groups: GroupTurns,
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
export type NotifyDeps = SendDeps & { languages: RecipientLanguages };

export async function performFollowingMigration(
  deps: NotifyDeps,
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

async function perform(
  { telegram, kv, logger, languages }: NotifyDeps,
  request: NotifyRequest,
  chatId: number,
) {
  if (request.action === 'delete') {
    await telegram.deleteMessage(chatId, request.messageId).catch(ignore(/message to delete not found/));
    return [];
  }
  const m = request.message;
  // Rendered in the recipient's language (docs/features.md §8.1): the workflows name the chat, not it.
  const language = speaksCopy(m) ? await languages.of(chatId) : SHOP_LANGUAGE;
  if (request.action === 'send' && m.template === 'purchase.delivered' && m.data.receiptOf !== undefined) {
    if (await showReceipt(telegram, chatId, m.data.receiptOf, m.data, language)) return [m.data.receiptOf];
    logger.warn('the QR could not become the receipt; the goods go as new messages', {
      chatId,
      invoiceId: m.data.invoiceId,
    });
  }
  const [first, ...rest] = fitted(render(request.message, language));
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
 * The message workflows edit is the QR of an invoice that closed, a photo: its image is replaced by a
 * plain one with the notice as caption (CLOSED_QR_IMAGE), in one call, so nothing scannable stays. A
 * text QR message (no QRIS string was drawn) takes the text edit. The buttons go with the edit unless
 * the notice has its own. An edit repeated after a lost answer finds it done or edits it the same way.
 */
async function editShown(telegram: Telegram, chatId: number, messageId: number, out: Outgoing) {
  const html = out.kind === 'text' ? out.html : out.caption;
  const buttons = (out.kind === 'document' ? undefined : out.extra) ?? NO_BUTTONS;
  const notModified = ignore(/message is not modified/);
  try {
    await telegram
      .editMessageMedia(
        chatId,
        messageId,
        undefined,
        {
          type: 'photo',
          media: Input.fromBuffer(CLOSED_QR_IMAGE, 'closed.png'),
          caption: html,
          parse_mode: 'HTML',
        },
        buttons,
      )
      .catch(notModified);
  } catch (error) {
    ignore(/there is no media in the message to edit/)(error);
    await telegram
      .editMessageText(chatId, messageId, undefined, html, { parse_mode: 'HTML', ...buttons })
      .catch(notModified);
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

/**
 * The seconds a notifier's 429 asks its caller to wait (undefined: not a 429). Short ones were waited
 * out on the bot's client already (retry-after.ts), so this is a long one: a press defers its update.
 */
export function notifierWaitOf(error: unknown): number | undefined {
  if (!(error instanceof Upstream) || error.reason !== NOTIFY_REASONS.rateLimited) return undefined;
  const seconds = Number(error.details?.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 5;
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
