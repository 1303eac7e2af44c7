import { createLogger } from '@quickcart/kit';
import type { Telegram } from 'telegraf';
import { memoryKv } from '../session/kv';
import { sendPart } from './sends';

/** Just what sends.ts calls, each call recorded; sends answer after a tick, as over the network. */
function fakeTelegram() {
  let nextId = 100;
  const calls: { method: string; messageId?: number; text?: string }[] = [];
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  const telegram = {
    sendMessage: async (_chat: number, text: string) => {
      await tick();
      const messageId = nextId++;
      calls.push({ method: 'sendMessage', messageId, text });
      return { message_id: messageId };
    },
    editMessageText: async (_chat: number, messageId: number, _inline: undefined, text: string) => {
      calls.push({ method: 'editMessageText', messageId, text });
      return true;
    },
    deleteMessage: async (_chat: number, messageId: number) => {
      calls.push({ method: 'deleteMessage', messageId });
      return true;
    },
  };
  return { telegram: telegram as unknown as Telegram, calls };
}

describe('sendPart', () => {
  it('two gateway processes sending one part keep the first recorded message and take the other back', async () => {
    const { telegram, calls } = fakeTelegram();
    const deps = { telegram, kv: memoryKv(), logger: createLogger('test', 'silent') };
    const goods = { kind: 'text' as const, html: '<code>a:1</code>', placeholder: '⏳ tunggu' };
    // Two processes share the records (Redis) but not the in-flight map: both send a placeholder.
    const [a, b] = await Promise.all([
      sendPart(deps, 'notify:k#1', 7, goods),
      sendPart(deps, 'notify:k#1', 7, goods),
    ]);
    expect(a).toBe(b);
    const placeholders = calls.filter((c) => c.method === 'sendMessage').map((c) => c.messageId);
    expect(placeholders).toHaveLength(2);
    const other = placeholders.find((id) => id !== a);
    expect(calls.filter((c) => c.method === 'deleteMessage')).toEqual([
      { method: 'deleteMessage', messageId: other },
    ]);
    expect(new Set(calls.filter((c) => c.method === 'editMessageText').map((c) => c.messageId))).toEqual(
      new Set([a]),
    );
  });

  it('a message without a placeholder that has an id recorded is not sent again', async () => {
    const { telegram, calls } = fakeTelegram();
    const deps = { telegram, kv: memoryKv(), logger: createLogger('test', 'silent') };
    const notice = { kind: 'text' as const, html: 'Invoice expired.' };
    const first = await sendPart(deps, 'notify:n#0', 7, notice);
    expect(await sendPart(deps, 'notify:n#0', 7, notice)).toBe(first);
    expect(calls).toHaveLength(1);
  });
});
