import { Markup, type Telegraf } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { launch, newBot, newUserId, startSandbox, stop } from './harness';

let sandbox: TelegramSandbox;
let bot: Telegraf;
let errors: unknown[];

const mainMenu = Markup.inlineKeyboard([
  [Markup.button.callback('Katalog', 'menu:catalog'), Markup.button.callback('Saldo', 'menu:balance')],
  [Markup.button.url('Bantuan', 'https://example.com/help')],
]);

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ bot, errors } = newBot(sandbox));
  bot.start((ctx) => ctx.reply(`Halo ${ctx.from.first_name}! Pilih menu:`, mainMenu));
  bot.action('menu:catalog', async (ctx) => {
    await ctx.answerCbQuery('Membuka katalog');
    await ctx.editMessageText(
      'Katalog: 2 produk',
      Markup.inlineKeyboard([[Markup.button.callback('Kembali', 'menu:back')]]),
    );
  });
  bot.action('menu:balance', (ctx) => ctx.answerCbQuery('Saldo Rp 0', { show_alert: true }));
  bot.on('photo', (ctx) => ctx.reply(`Foto diterima: ${ctx.message.caption ?? ''}`));
  bot.on('text', (ctx) =>
    ctx.reply(
      ctx.message.reply_to_message
        ? `Balasan untuk #${ctx.message.reply_to_message.message_id}`
        : 'Ketik /start',
    ),
  );
  launch(bot);
});
afterAll(async () => {
  stop(bot);
  await sandbox.close();
});
afterEach(() => expect(errors).toEqual([]));

describe('a telegraf bot polling the sandbox', () => {
  it('gets /start as a command and answers with an inline keyboard', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Budi', username: 'budi' });
    const start = await user.send('/start');
    expect(start.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);

    const menu = await user.waitForText('Halo Budi');
    expect(user.inlineButtons(menu)).toEqual([['Katalog', 'Saldo'], ['Bantuan']]);
    expect(menu.inlineKeyboard?.[1]?.[0]?.url).toBe('https://example.com/help');
    expect(user.messages().map((m) => [m.id, m.from])).toEqual([
      [1, 'user'],
      [2, 'bot'],
    ]);
  });

  it('delivers a button press as a callback_query and records the answer', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Sari' });
    await user.send('/start');
    const menu = await user.waitForText('Pilih menu');

    const queryId = await user.press('Katalog');
    const answer = await user.waitForCallbackAnswer(queryId);
    expect(answer).toMatchObject({
      text: 'Membuka katalog',
      showAlert: false,
      data: 'menu:catalog',
      messageId: menu.id,
    });

    const edited = await user.waitForText('Katalog: 2 produk');
    expect(edited.id).toBe(menu.id);
    expect(edited.editDate).toBeDefined();
    expect(user.inlineButtons(edited)).toEqual([['Kembali']]);
    expect(user.botMessages()).toHaveLength(1);
  });

  it('keeps every answer of the user, show_alert included', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Joko' });
    await user.send('/start');
    const menu = await user.waitForText('Pilih menu');
    await user.waitForCallbackAnswer(await user.pressOn(menu.id, 'Saldo'));
    expect(user.callbackAnswers()).toEqual([
      expect.objectContaining({ text: 'Saldo Rp 0', showAlert: true }),
    ]);
  });

  it('names the buttons there are when a press matches none', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Rina' });
    await user.send('/start');
    await user.waitForText('Pilih menu');
    await expect(user.press('Checkout')).rejects.toThrow(
      /no inline button "Checkout"\. Buttons shown: #2: "Katalog", "Saldo", "Bantuan"/,
    );
    await expect(user.press('Bantuan')).rejects.toThrow(
      /has no callback_data \(url: https:\/\/example.com\/help\)/,
    );
    await expect(user.press((b) => b.callback_data === 'menu:balance')).resolves.toEqual(expect.any(String));
  });

  it('passes photos and replies to the bot', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Tono' });
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await user.sendPhoto(png, 'bukti transfer');
    await user.waitForText('Foto diterima: bukti transfer');
    const mine = await user.send('halo');
    await user.reply(mine.id, 'ini balasan');
    await user.waitForText(`Balasan untuk #${mine.id}`);
  });

  it('rejects a wait that times out with the tail of the chat', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Wati' });
    await user.send('/start');
    await user.waitForText('Pilih menu');
    await expect(user.waitForText('Pembayaran berhasil', { timeoutMs: 200 })).rejects.toThrow(
      /no bot message with text "Pembayaran berhasil" within 200 ms[\s\S]*#1 user: "\/start"[\s\S]*#2 bot: "Halo Wati! Pilih menu:" \[buttons: Katalog \| Saldo \/ Bantuan\]/,
    );
  });
});
