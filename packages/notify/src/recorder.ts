import {
  allow,
  Conflict,
  createApp,
  createLogger,
  parse,
  route,
  serve,
  tokenDigest,
  Upstream,
} from '@quickcart/kit';
import { NOTIFY_REASONS, notifyRequest, type NotifyRequest } from './contract';

export interface RecordedNotification {
  request: NotifyRequest;
  messageIds: number[];
  /** When it was taken (ms since the epoch). */
  at: number;
}

/**
 * A stand-in for the gateway's /notify in tests: implements the contract (idempotent by key, message
 * ids, 429 and 403 refusals), records every call and lets a test make chats fail.
 */
export async function startNotifyRecorder(
  options: {
    port?: number;
    /** Set: the recorder wants the worker's token, as the real /notify does (WORKER_API_TOKEN). */
    token?: string;
  } = {},
): Promise<NotifyRecorder> {
  const logger = createLogger('notify-recorder', 'silent');
  const sent: RecordedNotification[] = [];
  const byKey = new Map<string, number[]>();
  const blocked = new Set<number>();
  const failing = new Map<string, number>(); // action -> how many more times to fail
  let rateLimited = { times: 0, retryAfterSeconds: 1 };
  let nextMessageId = 1000;
  const { app, finish } = createApp({
    logger,
    health: async () => ({}),
    access: options.token ? { callers: { worker: tokenDigest(options.token) } } : 'public',
  });
  app.post(
    '/notify',
    // Checked only on an internal app (a token given); a public recorder serves anyone.
    ...(options.token ? [allow('worker')] : []),
    route(async (req, res) => {
      const request = parse(notifyRequest, req.body);
      const known = byKey.get(request.idempotencyKey);
      if (known) return res.json({ messageIds: known });
      if (rateLimited.times > 0) {
        rateLimited.times--;
        // What the gateway answers when Telegram's 429 outlasts its own short waits (route.ts).
        throw new Upstream('Too Many Requests', true, NOTIFY_REASONS.rateLimited, {
          retryAfterSeconds: rateLimited.retryAfterSeconds,
        });
      }
      const left = failing.get(request.action) ?? 0;
      if (left > 0) {
        failing.set(request.action, left - 1);
        throw new Upstream('telegram is down', true, 'telegram_5xx');
      }
      if (blocked.has(request.chatId) && request.action !== 'delete') {
        throw new Conflict('Forbidden: bot was blocked by the user', NOTIFY_REASONS.botBlocked);
      }
      const count =
        request.action === 'delete' ? 0 : request.message.template === 'purchase.delivered' ? 2 : 1;
      const messageIds = Array.from({ length: count }, () => nextMessageId++);
      byKey.set(request.idempotencyKey, messageIds);
      sent.push({ request, messageIds, at: Date.now() });
      res.json({ messageIds });
    }),
  );
  const server = await serve(finish(), { port: options.port ?? 0, host: '127.0.0.1' }, logger);
  return {
    url: `http://127.0.0.1:${server.port}`,
    sent,
    block: (chatId) => blocked.add(chatId),
    unblock: (chatId) => blocked.delete(chatId),
    failNext: (action, times) => failing.set(action, times),
    rateLimitNext: (times, retryAfterSeconds) => void (rateLimited = { times, retryAfterSeconds }),
    to: (chatId) => sent.filter((s) => s.request.chatId === chatId),
    templates: (chatId) =>
      sent
        .filter((s) => s.request.chatId === chatId)
        .map((s) => (s.request.action === 'delete' ? 'delete' : s.request.message.template)),
    close: server.close,
  };
}

export interface NotifyRecorder {
  url: string;
  sent: RecordedNotification[];
  block(chatId: number): void;
  unblock(chatId: number): void;
  failNext(action: NotifyRequest['action'], times: number): void;
  /** The next `times` requests are refused as Telegram's 429 passed on, with this retry-after. */
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  to(chatId: number): RecordedNotification[];
  /** The templates sent to a chat in order, with 'delete' for deletions. */
  templates(chatId: number): string[];
  close(): Promise<void>;
}
