import { z } from 'zod';
import { badRequest } from './api-error';
import { chatId, flag, int, json, readParams, text, type BotApiDeps, type BotMethod } from './params';
import { botUser, wireChat } from './wire';

const scopeSchema = json(
  z.object({
    type: z.enum([
      'default',
      'all_private_chats',
      'all_group_chats',
      'all_chat_administrators',
      'chat',
      'chat_administrators',
      'chat_member',
    ]),
    chat_id: chatId.optional(),
    user_id: int.optional(),
  }),
).optional();
const commandParams = z.object({ scope: scopeSchema, language_code: z.string().optional() });
const commandSchema = z.object({
  command: z.string().regex(/^[a-z0-9_]{1,32}$/, 'BOT_COMMAND_INVALID'),
  description: z.string().min(1).max(256),
});
const allowedUpdates = json(z.array(z.string())).optional();

/**
 * The key a command list is kept under: one per scope (and language), as Telegram keeps them.
 * Chat scopes must name a chat the sandbox knows, or Telegram's "chat not found".
 */
export function scopeKey(deps: BotApiDeps, a: z.output<typeof commandParams>): string {
  const scope = a.scope ?? { type: 'default' as const };
  const needsChat =
    scope.type === 'chat' || scope.type === 'chat_administrators' || scope.type === 'chat_member';
  if (needsChat) {
    if (scope.chat_id === undefined) throw badRequest('chat_id is empty');
    deps.store.known(scope.chat_id);
  }
  const parts = [
    scope.type,
    needsChat ? scope.chat_id : undefined,
    scope.type === 'chat_member' ? scope.user_id : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(':') + (a.language_code ? `/${a.language_code}` : '');
}

export const botMethods: Record<string, BotMethod> = {
  getMe: (_call, { bot }) => ({
    ...botUser(bot),
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),

  getUpdates: async (call, { feed }) => {
    const a = readParams(
      z.object({
        offset: int.optional(),
        limit: int.optional(),
        timeout: int.optional(),
        allowed_updates: allowedUpdates,
      }),
      call,
    );
    feed.setAllowedUpdates(a.allowed_updates);
    return feed.getUpdates({ offset: a.offset, limit: a.limit, timeoutSec: a.timeout }, call.signal);
  },

  setWebhook: async (call, { feed }) => {
    const a = readParams(
      z.object({
        url: z.coerce.string(),
        secret_token: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,256}$/, 'secret_token')
          .optional(),
        max_connections: int.min(1).max(100).optional(),
        allowed_updates: allowedUpdates,
        drop_pending_updates: flag.optional(),
      }),
      call,
    );
    // An empty url removes the webhook (Bot API, setWebhook); plain http is fine in the sandbox.
    if (a.url !== '' && !/^https?:\/\/\S+$/.test(a.url))
      throw badRequest('bad webhook: invalid webhook URL specified');
    feed.setAllowedUpdates(a.allowed_updates);
    const settings =
      a.url === ''
        ? undefined
        : { url: a.url, secretToken: a.secret_token, maxConnections: a.max_connections ?? 40 };
    await feed.setWebhook(settings, a.drop_pending_updates ?? false);
    return true;
  },

  deleteWebhook: async (call, { feed }) => {
    const a = readParams(z.object({ drop_pending_updates: flag.optional() }), call);
    await feed.setWebhook(undefined, a.drop_pending_updates ?? false);
    return true;
  },

  getWebhookInfo: (_call, { feed }) => {
    const { settings, lastError } = feed.webhook;
    return {
      url: settings?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: feed.pendingCount(),
      ...(lastError && { last_error_date: lastError.date, last_error_message: lastError.message }),
      ...(settings && { max_connections: settings.maxConnections }),
    };
  },

  answerCallbackQuery: (call, { store }) => {
    const a = readParams(
      z.object({
        callback_query_id: z.coerce.string(),
        text: text.max(200).optional(),
        show_alert: flag.optional(),
        url: z.string().optional(),
      }),
      call,
    );
    store.answer(a.callback_query_id, { text: a.text, showAlert: a.show_alert ?? false, url: a.url });
    return true;
  },

  setMyCommands: (call, deps) => {
    const a = readParams(commandParams.extend({ commands: json(z.array(commandSchema).max(100)) }), call);
    deps.store.commands.set(scopeKey(deps, a), a.commands);
    deps.store.changed(); // an open chat page redraws its menu
    return true;
  },

  getMyCommands: (call, deps) =>
    deps.store.commands.get(scopeKey(deps, readParams(commandParams, call))) ?? [],

  deleteMyCommands: (call, deps) => {
    deps.store.commands.delete(scopeKey(deps, readParams(commandParams, call)));
    deps.store.changed();
    return true;
  },

  getChat: (call, { store }) => {
    const chat = store.known(readParams(z.object({ chat_id: chatId }), call).chat_id);
    return { ...wireChat(chat), accent_color_id: 0, max_reaction_count: 11 };
  },

  getFile: (call, { store }) => {
    const file = store.file(readParams(z.object({ file_id: z.string().min(1) }), call).file_id);
    if (!file || file.bytes.length === 0)
      throw badRequest('wrong file_id or the file is temporarily unavailable');
    return {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.bytes.length,
      file_path: `files/${file.fileId}`,
    };
  },
};
