import { toBuffer } from 'qrcode';
import { Input, Markup, type Telegraf } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { launch, newBot, newUserId, refusal, startSandbox, stop } from './harness';

let sandbox: TelegramSandbox;
let bot: Telegraf;

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ bot } = newBot(sandbox));
  bot.start((ctx) =>
    ctx.reply('Pilih:', Markup.inlineKeyboard([[Markup.button.callback('Bayar <QRIS>', 'pay')]])),
  );
  bot.action('pay', async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.replyWithPhoto(Input.fromBuffer(await toBuffer('qris', { type: 'png' }), 'qris.png'), {
      caption: 'Scan',
    });
  });
  bot.hears('Saldo', (ctx) => ctx.reply('Saldo Rp 0', Markup.keyboard([['Saldo', 'Katalog']])));
  launch(bot);
});
afterAll(async () => {
  stop(bot);
  await sandbox.close();
});

const control = async (
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<{ status: number; body: any }> => {
  const res = await fetch(sandbox.url + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') ? await res.json() : await res.text() };
};

describe('HTTP controls under /_sandbox', () => {
  it('create users, talk to the bot and read the chat', async () => {
    const id = newUserId();
    expect((await control('POST', '/_sandbox/users', { id, firstName: 'Kiki' })).status).toBe(201);
    expect((await control('POST', `/_sandbox/users/${id}/messages`, { text: '/start' })).body).toMatchObject({
      id: 1,
      from: 'user',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    const user = sandbox.user({ id, firstName: 'Kiki' });
    const menu = await user.waitForText('Pilih:');
    const press = await control('POST', `/_sandbox/users/${id}/callback`, {
      messageId: menu.id,
      data: 'pay',
    });
    await user.waitForCallbackAnswer(press.body.callbackQueryId);
    await user.waitForText('Scan');

    const { body: messages } = await control('GET', `/_sandbox/chats/${id}/messages`);
    expect(messages.map((m: any) => m.from)).toEqual(['user', 'bot', 'bot']);
    expect(Buffer.from(messages[2].photo.base64, 'base64').equals(user.lastBotMessage()!.photo!.bytes)).toBe(
      true,
    );
    expect((await control('GET', '/_sandbox/chats')).body).toContainEqual(
      expect.objectContaining({ id, type: 'private', firstName: 'Kiki', messageCount: 3, blocked: false }),
    );
    expect((await control('GET', `/_sandbox/users/${id}/callback-answers`)).body).toHaveLength(1);
    expect((await control('POST', '/_sandbox/users/1/messages', { text: 'x' })).status).toBe(404);
  });

  it('block users, inject failures and reset', async () => {
    const id = newUserId();
    await control('POST', '/_sandbox/users', { id, firstName: 'Lala' });
    await control('POST', `/_sandbox/users/${id}/block`);
    expect((await refusal(bot.telegram.sendMessage(id, 'x'))).code).toBe(403);
    await control('POST', `/_sandbox/users/${id}/unblock`);

    const failNext = await control('POST', '/_sandbox/fail-next', {
      method: 'sendMessage',
      errorCode: 429,
      retryAfter: 2,
    });
    expect(failNext.body).toEqual({ pending: [{ method: 'sendMessage', left: 1, errorCode: 429 }] });
    expect((await refusal(bot.telegram.sendMessage(id, 'x'))).parameters?.retry_after).toBe(2);
    expect((await control('POST', '/_sandbox/fail-next', { errorCode: 200 })).status).toBe(400);

    const group = await control('POST', '/_sandbox/chats', { id: -100777, type: 'group', title: 'Ops' });
    expect(group.status).toBe(201);
    await bot.telegram.sendMessage(-100777, 'laporan');
    await control('POST', '/_sandbox/reset');
    expect((await control('GET', '/_sandbox/chats')).body).toEqual([]);
    expect((await refusal(bot.telegram.sendMessage(-100777, 'x'))).description).toBe(
      'Bad Request: chat not found',
    );
  });
});
