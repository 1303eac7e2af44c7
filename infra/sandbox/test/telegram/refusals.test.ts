import { Input, Markup, type Telegraf } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { launch, newBot, newUserId, refusal, startSandbox, stop } from './harness';

let sandbox: TelegramSandbox;
let bot: Telegraf;
const memberships: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ bot } = newBot(sandbox));
  bot.on(
    'my_chat_member',
    (ctx) => void memberships.push(`${ctx.chat.id}:${ctx.myChatMember.new_chat_member.status}`),
  );
  bot.on('text', (ctx) => ctx.reply(`echo ${ctx.message.text}`));
  launch(bot);
});
afterAll(async () => {
  stop(bot);
  await sandbox.close();
});
afterEach(() => sandbox.faults.reset());

describe('refusals', () => {
  it('answers 403 to every send and edit for a user who blocked the bot', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Fajar' });
    const before = await bot.telegram.sendMessage(
      user.chatId,
      'Menu',
      Markup.inlineKeyboard([[Markup.button.callback('A', 'a')]]),
    );
    sandbox.block(user.chatId);

    const calls = [
      () => bot.telegram.sendMessage(user.chatId, 'Promo!'),
      () => bot.telegram.sendPhoto(user.chatId, Input.fromBuffer(Buffer.from('x'), 'x.png')),
      () => bot.telegram.editMessageText(user.chatId, before.message_id, undefined, 'baru'),
      () => bot.telegram.sendChatAction(user.chatId, 'typing'),
    ];
    for (const call of calls) {
      const error = await refusal(call());
      expect([error.code, error.description]).toEqual([403, 'Forbidden: bot was blocked by the user']);
    }
    expect(user.messages()).toHaveLength(1);

    // The bot learns about it as in Telegram, and writing again unblocks (Telegram's "Restart").
    await user.send('halo lagi');
    await user.waitForText('echo halo lagi');
    expect(memberships.filter((m) => m.startsWith(`${user.chatId}:`))).toEqual([
      `${user.chatId}:kicked`,
      `${user.chatId}:member`,
    ]);
  });

  it('fails the next calls as told, then works again', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Gita' });
    sandbox.failNext({ method: 'sendMessage', count: 2, errorCode: 429, retryAfter: 7 });

    for (let i = 0; i < 2; i++) {
      const error = await refusal(bot.telegram.sendMessage(user.chatId, 'Invoice'));
      expect(error.code).toBe(429);
      expect(error.description).toBe('Too Many Requests: retry after 7');
      expect(error.parameters?.retry_after).toBe(7);
    }
    await expect(bot.telegram.sendMessage(user.chatId, 'Invoice')).resolves.toMatchObject({
      text: 'Invoice',
    });
    expect(user.botMessages().map((m) => m.text)).toEqual(['Invoice']);
  });

  it('lets `after` calls through before failing: the second message of two fails', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Indah' });
    sandbox.failNext({ method: 'sendMessage', after: 1, errorCode: 502 });
    await expect(bot.telegram.sendMessage(user.chatId, 'satu')).resolves.toBeDefined();
    expect((await refusal(bot.telegram.sendMessage(user.chatId, 'dua'))).code).toBe(502);
    await expect(bot.telegram.sendMessage(user.chatId, 'dua')).resolves.toBeDefined();
    expect(user.botMessages().map((m) => m.text)).toEqual(['satu', 'dua']);
  });

  it('fails only the method named, and leaves polling alone when none is named', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Hadi' });
    sandbox.failNext({ method: 'sendPhoto', count: 1, errorCode: 500 });
    await expect(bot.telegram.sendMessage(user.chatId, 'teks')).resolves.toBeDefined();
    expect((await refusal(bot.telegram.sendPhoto(user.chatId, 'https://example.com/a.png'))).code).toBe(500);

    // An unnamed rule skips getUpdates, so the polling bot still gets the message and its reply fails.
    sandbox.failNext({ count: 1, errorCode: 502 });
    await user.send('ping');
    while (sandbox.faults.pending().length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await user.send('ping lagi');
    await user.waitForText('echo ping lagi');
    expect(user.botMessages().map((m) => m.text)).toEqual(['teks', 'echo ping lagi']);
  });
});
