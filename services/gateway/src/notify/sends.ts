import type { Logger } from '@quickcart/kit';
import { Input, TelegramError, type Telegram } from 'telegraf';
import type { Kv } from '../session/kv';
import type { Outgoing } from './render';

export const KEEP_SECONDS = 7 * 24 * 3600; // longer than any workflow retries a send

export interface SendDeps {
  telegram: Telegram;
  kv: Kv;
  logger: Logger;
}

/**
 * One message of a /notify request, its id recorded under `partKey` (`notify:<key>#<i>`). Before it goes,
 * the intent is recorded with the time (`<partKey>:intent`): a later call that finds an intent and no id
 * knows the earlier outcome is unknown (the gateway died, or Telegram's answer was lost after it acted).
 * Telegram has no idempotency key for a send, so such a message goes again: at-least-once. A message
 * with a placeholder is exactly-once to the customer: only the placeholder may repeat, and the content
 * arrives by editing the recorded placeholder, which a retry repeats harmlessly (docs/delivery.md).
 */
export async function sendPart(deps: SendDeps, partKey: string, chatId: number, out: Outgoing) {
  const recorded = await deps.kv.get(partKey);
  if (out.kind === 'photo' || out.placeholder === undefined) {
    return recorded ? Number(recorded) : sendOnce(deps, partKey, chatId, out);
  }
  const placeholder = recorded ? Number(recorded) : await sendOnce(deps, partKey, chatId, placeholderOf(out));
  try {
    await editInto(deps.telegram, chatId, placeholder, out);
    return placeholder;
  } catch (error) {
    if (!refusedAs(error, /message to edit not found/)) throw error;
    // The customer deleted the placeholder before the content reached it (a delivery parked for hours
    // and redelivered): a fresh placeholder carries it. Its id replaces the old one for later retries.
    deps.logger.warn('placeholder gone; sending a new one', { partKey, chatId });
    const fresh = await sendOnce(deps, partKey, chatId, placeholderOf(out), placeholder);
    await editInto(deps.telegram, chatId, fresh, out);
    return fresh;
  }
}

/** Sends and records the id; `replacing`: the recorded id this message takes the place of. */
async function sendOnce(
  { telegram, kv, logger }: SendDeps,
  partKey: string,
  chatId: number,
  out: Outgoing,
  replacing?: number,
): Promise<number> {
  const intentKey = `${partKey}:intent`;
  const earlier = await kv.get(intentKey);
  if (earlier) logger.warn('earlier send has an unknown outcome; sending again', { partKey, since: earlier });
  await kv.set(intentKey, new Date().toISOString(), KEEP_SECONDS);
  let id: number;
  try {
    id = (await send(telegram, chatId, out)).message_id;
  } catch (error) {
    // A 4xx is Telegram refusing before it acted: nothing went out, so the next try is not a repeat.
    if (error instanceof TelegramError && error.code < 500) await kv.set(intentKey, '', KEEP_SECONDS);
    throw error;
  }
  const stored =
    replacing === undefined
      ? await kv.setIfAbsent(partKey, String(id), KEEP_SECONDS)
      : await kv.compareAndSet(partKey, String(replacing), String(id), KEEP_SECONDS);
  if (stored) return id;
  // Another gateway process recorded its message for this part first: keep that one, take ours back.
  await telegram.deleteMessage(chatId, id).catch(() => undefined);
  return Number(await kv.get(partKey));
}

/** A message that may go by placeholder: text, or a document. */
type Editable = Exclude<Outgoing, { kind: 'photo' }>;

/**
 * The short message sent first and edited into `out`. A document's is a small file: Telegram edits a
 * file into another file, never a text message into one.
 */
function placeholderOf(out: Editable): Outgoing {
  const text = out.placeholder ?? '';
  return out.kind === 'text'
    ? { kind: 'text', html: text }
    : { kind: 'document', content: Buffer.from(text + '\n'), filename: out.filename, caption: text };
}

/** Turns the placeholder into `out`. Telegram's "not modified" means a previous edit got there. */
async function editInto(telegram: Telegram, chatId: number, messageId: number, out: Editable) {
  const edit =
    out.kind === 'text'
      ? telegram.editMessageText(chatId, messageId, undefined, out.html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...out.extra,
        })
      : telegram.editMessageMedia(chatId, messageId, undefined, {
          type: 'document',
          media: Input.fromBuffer(out.content, out.filename),
          caption: out.caption,
        });
  await edit.catch(ignore(/message is not modified/));
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

/** Telegram's 400 in its own words (matched loosely). */
const refusedAs = (error: unknown, pattern: RegExp): boolean =>
  error instanceof TelegramError && error.code === 400 && pattern.test(error.description);

/** Telegram's "already so" answers mean the job is done. */
export const ignore = (pattern: RegExp) => (error: unknown) => {
  if (!refusedAs(error, pattern)) throw error;
};
