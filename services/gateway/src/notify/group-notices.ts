import { randomInt } from 'node:crypto';
import type { NotifyRequest } from '@quickcart/notify';
import { TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { DeferUpdate, type Inbox } from '../inbox/inbox';
import { telegramWaitOf } from '../retry-after';
import { KEEP_SECONDS, type SendDeps } from './sends';

/**
 * A notice to a whitelisted group waiting for the group's turn (about 20 messages a minute, chat-pace.ts).
 * /notify puts it in the inbox instead of holding the worker's activity, which gives a notice two
 * minutes at most (workflows/src/proxies.ts): a busy minute would lose the rest. The inbox keeps the
 * group's notices in order, outlives a restart, and runs each when its time has come.
 */
type GroupNotice = { id: string; chat: { id: number }; notBefore: number; request: NotifyRequest };
export type GroupNoticeUpdate = Update & { group_notice: GroupNotice };

export const isGroupNotice = (update: Update): update is GroupNoticeUpdate =>
  typeof (update as Partial<GroupNoticeUpdate>).group_notice?.request === 'object';

/** Notices to a group: nobody waits on their message ids (an admin notice's are never used). */
export const mayWaitInInbox = (request: NotifyRequest): boolean =>
  request.action === 'send' && request.chatId < 0 && request.message.template.startsWith('admin.');

/**
 * Puts `request` in the inbox to be sent at `notBefore`. Its update id is negative, so it never meets
 * one of Telegram's; it is the same notice by its idempotency key.
 */
export async function queueGroupNotice(inbox: Pick<Inbox, 'add'>, request: NotifyRequest, notBefore: number) {
  const update_id = -(Date.now() * 1000 + randomInt(1000));
  const notice: GroupNotice = {
    id: request.idempotencyKey,
    chat: { id: request.chatId },
    notBefore,
    request,
  };
  await inbox.add([{ update_id, group_notice: notice } as unknown as Update]);
}

/** The seconds to wait when `error` is Telegram's 429 (or the gateway's pace speaking for it). */
export const waitAsked = (error: unknown): number | undefined =>
  error instanceof TelegramError ? telegramWaitOf(error) : undefined;

/**
 * Sends a queued group notice in the inbox: not before its time, again later on a 429. A refusal (the
 * group removed the bot) is logged and the notice dropped, as /notify's caller would; an outage is
 * thrown, for the inbox's tries.
 */
export async function sendGroupNotice<D extends SendDeps>(
  deps: D,
  update: GroupNoticeUpdate,
  perform: (deps: D, request: NotifyRequest) => Promise<{ messageIds: number[]; movedTo?: number }>,
): Promise<void> {
  const { request, notBefore } = update.group_notice;
  if (Date.now() < notBefore) throw new DeferUpdate(notBefore, "the group's turn has not come");
  try {
    const answer = await perform(deps, request);
    if (answer.movedTo !== undefined)
      deps.logger.warn('queued notice followed its group to a supergroup', {
        chatId: request.chatId,
        movedTo: answer.movedTo,
      });
    await deps.kv.set(`notify:${request.idempotencyKey}`, JSON.stringify(answer), KEEP_SECONDS);
  } catch (error) {
    const wait = waitAsked(error);
    if (wait !== undefined) throw new DeferUpdate(Date.now() + wait * 1000, 'the group is at its pace');
    if (!(error instanceof TelegramError)) throw error;
    deps.logger.warn('queued group notice refused by telegram', {
      chatId: request.chatId,
      code: error.code,
      description: error.description,
    });
  }
}
