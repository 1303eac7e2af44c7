import type { Telegraf } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { newBot, refusal, startSandbox } from './harness';

// Groups that answer 400 (issue 11): a basic group Telegram upgraded to a supergroup, and a refusal
// aimed at one chat only, so a test can make one whitelisted group fail while every other chat works.

let sandbox: TelegramSandbox;
let bot: Telegraf;
beforeAll(async () => {
  sandbox = await startSandbox();
  ({ bot } = newBot(sandbox));
});
afterAll(() => sandbox.close());

const control = async (path: string, body?: object): Promise<{ status: number; body: any }> => {
  const res = await fetch(sandbox.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, body: await res.json() };
};

let seq = 0;
const groupId = () => -(700_000 + (process.pid % 1000) * 100 + ++seq);

describe('a group upgraded to a supergroup', () => {
  it('answers 400 with migrate_to_chat_id at its old id and takes messages at its new one', async () => {
    const [old, upgraded] = [groupId(), -1_000_000_000_000 + seq];
    await control('/_sandbox/chats', { id: old, type: 'group', title: 'Admin QuickCart' });
    await bot.telegram.sendMessage(old, 'before');

    const moved = await control(`/_sandbox/chats/${old}/migrate`, { toChatId: upgraded });
    expect(moved).toEqual({ status: 200, body: { from: old, to: upgraded } });

    const refused = await refusal(bot.telegram.sendMessage(old, 'after'));
    expect(refused.code).toBe(400);
    expect(refused.description).toBe('Bad Request: group chat was upgraded to a supergroup chat');
    expect(refused.parameters).toEqual({ migrate_to_chat_id: upgraded });

    await bot.telegram.sendMessage(upgraded, 'after');
    expect(
      sandbox
        .group(upgraded)
        .messages()
        .map((m) => m.text),
    ).toEqual(['after']);
    expect(
      sandbox
        .group(old)
        .messages()
        .map((m) => m.text),
    ).toEqual(['before']);
    expect(sandbox.chats()).toContainEqual(
      expect.objectContaining({ id: upgraded, type: 'supergroup', title: 'Admin QuickCart' }),
    );
  });

  it('is strict: only a known basic group moves, once, to a new negative id', async () => {
    const old = groupId();
    await control('/_sandbox/chats', { id: old, type: 'group', title: 'Ops' });
    expect(
      (await control(`/_sandbox/chats/${groupId()}/migrate`, { toChatId: -1_000_000_000_001 })).status,
    ).toBe(404);
    expect((await control(`/_sandbox/chats/${old}/migrate`, { toChatId: 5 })).status).toBe(400);
    expect((await control(`/_sandbox/chats/${old}/migrate`, {})).status).toBe(400);
    expect((await control(`/_sandbox/chats/${old}/migrate`, { toChatId: old })).status).toBe(400);
    expect(
      (await control(`/_sandbox/chats/${old}/migrate`, { toChatId: -1_000_000_000_002, x: 1 })).status,
    ).toBe(400);
    expect((await control(`/_sandbox/chats/${old}/migrate`, { toChatId: -1_000_000_000_002 })).status).toBe(
      200,
    );
    expect((await control(`/_sandbox/chats/${old}/migrate`, { toChatId: -1_000_000_000_003 })).status).toBe(
      409,
    );
    const supergroup = -1_000_000_000_002;
    expect(
      (await control(`/_sandbox/chats/${supergroup}/migrate`, { toChatId: -1_000_000_000_004 })).status,
    ).toBe(409);
  });
});

describe('a refusal aimed at one chat', () => {
  it('fails only sends to that chat, as many times as asked', async () => {
    const [refusing, other] = [groupId(), groupId()];
    for (const id of [refusing, other])
      await control('/_sandbox/chats', { id, type: 'supergroup', title: 'G' });
    const rule = await control('/_sandbox/fail-next', {
      method: 'sendMessage',
      chatId: refusing,
      count: 2,
      errorCode: 400,
      description: 'Bad Request: not enough rights to send text messages to the chat',
    });
    expect(rule.body).toEqual({
      pending: [{ method: 'sendMessage', chatId: refusing, left: 2, errorCode: 400 }],
    });

    await bot.telegram.sendMessage(other, 'fine');
    expect((await refusal(bot.telegram.sendMessage(refusing, 'x'))).description).toMatch(/not enough rights/);
    await bot.telegram.sendMessage(other, 'still fine');
    expect((await refusal(bot.telegram.sendMessage(refusing, 'x'))).code).toBe(400);
    await bot.telegram.sendMessage(refusing, 'now it works');
    expect(
      sandbox
        .group(refusing)
        .messages()
        .map((m) => m.text),
    ).toEqual(['now it works']);
  });
});
