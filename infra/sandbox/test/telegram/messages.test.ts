import { toBuffer } from 'qrcode';
import { Input, Markup, type Telegram } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { newBot, newUserId, refusal, startSandbox } from './harness';

let sandbox: TelegramSandbox;
let telegram: Telegram;
beforeAll(async () => {
  sandbox = await startSandbox();
  telegram = newBot(sandbox).bot.telegram;
});
afterAll(() => sandbox.close());

const newUser = (firstName = 'Dewi') => sandbox.user({ id: newUserId(), firstName });

describe('what the bot sends', () => {
  it('applies an edit, and refuses one that changes nothing as "message is not modified"', async () => {
    const user = newUser();
    const keyboard = Markup.inlineKeyboard([[Markup.button.callback('Bayar', 'pay:1')]]);
    const sent = await telegram.sendMessage(user.chatId, 'Total: Rp 25.000', keyboard);
    expect(sent).toMatchObject({
      message_id: 1,
      text: 'Total: Rp 25.000',
      reply_markup: keyboard.reply_markup,
    });

    await telegram.editMessageText(user.chatId, sent.message_id, undefined, 'Total: Rp 30.000', keyboard);
    expect(user.lastBotMessage()).toMatchObject({
      id: 1,
      text: 'Total: Rp 30.000',
      editDate: expect.any(Number),
    });

    const again = await refusal(
      telegram.editMessageText(user.chatId, sent.message_id, undefined, 'Total: Rp 30.000', keyboard),
    );
    expect(again.code).toBe(400);
    expect(again.description).toMatch(/^Bad Request: message is not modified/);

    // Without reply_markup Telegram drops the buttons: that is a change, not a refusal.
    await telegram.editMessageText(user.chatId, sent.message_id, undefined, 'Total: Rp 30.000');
    expect(user.lastBotMessage()?.inlineKeyboard).toBeUndefined();
    const markupAgain = await refusal(
      telegram.editMessageReplyMarkup(user.chatId, sent.message_id, undefined, undefined),
    );
    expect(markupAgain.description).toMatch(/message is not modified/);
  });

  it('refuses edits of messages that are not there or not the bot’s', async () => {
    const user = newUser();
    const own = await user.send('pesan saya');
    expect((await refusal(telegram.editMessageText(user.chatId, 99, undefined, 'x'))).description).toBe(
      'Bad Request: message to edit not found',
    );
    expect((await refusal(telegram.editMessageText(user.chatId, own.id, undefined, 'x'))).description).toBe(
      "Bad Request: message can't be edited",
    );
  });

  it('deletes a message once; the second delete is refused', async () => {
    const user = newUser();
    const sent = await telegram.sendMessage(user.chatId, 'Menunggu pembayaran');
    await expect(telegram.deleteMessage(user.chatId, sent.message_id)).resolves.toBe(true);
    expect(user.messages()).toEqual([]);
    const second = await refusal(telegram.deleteMessage(user.chatId, sent.message_id));
    expect([second.code, second.description]).toEqual([400, 'Bad Request: message to delete not found']);
    // Ids keep growing after a delete.
    expect((await telegram.sendMessage(user.chatId, 'baru')).message_id).toBe(2);
  });

  it('keeps the bytes of an uploaded photo and edits its caption', async () => {
    const user = newUser();
    const png = await toBuffer('00020101021226610016ID.CO.QRIS.WWW', { type: 'png', width: 256 });
    const sent = await telegram.sendPhoto(user.chatId, Input.fromBuffer(png, 'qris.png'), {
      caption: '<b>Invoice</b> INV-1\nTotal Rp 25.000',
      parse_mode: 'HTML',
      ...Markup.inlineKeyboard([[Markup.button.callback('Batal', 'cancel:INV-1')]]),
    });
    expect(sent.photo[0]).toMatchObject({ width: 256, height: 256, file_size: png.length });
    const shown = user.lastBotMessage();
    expect(shown?.photo?.bytes.equals(png)).toBe(true);
    expect(shown).toMatchObject({
      caption: 'Invoice INV-1\nTotal Rp 25.000',
      photo: { filename: 'qris.png', mimeType: 'image/png' },
    });

    await telegram.editMessageCaption(user.chatId, sent.message_id, undefined, 'Kedaluwarsa');
    expect(user.lastBotMessage()).toMatchObject({ caption: 'Kedaluwarsa', inlineKeyboard: undefined });

    // The file_id Telegram handed back sends the same picture again.
    await telegram.sendPhoto(user.chatId, sent.photo[0]!.file_id);
    expect(user.lastBotMessage()?.photo?.bytes.equals(png)).toBe(true);
    const notImage = await refusal(
      telegram.sendPhoto(user.chatId, Input.fromBuffer(Buffer.from('not a png'), 'x.png')),
    );
    expect(notImage.description).toBe('Bad Request: IMAGE_PROCESS_FAILED');
    expect((await refusal(telegram.sendPhoto(user.chatId, 'AgACunknown'))).description).toMatch(
      /wrong file identifier/,
    );
  });

  it('sends documents, stickers, copies and forwards', async () => {
    const admin = newUser('Admin');
    const buyer = newUser('Eko');
    await telegram.sendDocument(
      buyer.chatId,
      Input.fromBuffer(Buffer.from('kode,voucher\nA1,XYZ'), 'voucher.csv'),
      {
        caption: 'Pesanan Anda',
      },
    );
    expect(buyer.lastBotMessage()?.document).toMatchObject({ filename: 'voucher.csv', mimeType: 'text/csv' });
    expect(buyer.lastBotMessage()?.document?.bytes.toString()).toBe('kode,voucher\nA1,XYZ');

    await telegram.sendSticker(buyer.chatId, 'CAACAgIAAxkBAAEthanks');
    expect(buyer.lastBotMessage()?.sticker).toBe('CAACAgIAAxkBAAEthanks');

    const receipt = await buyer.sendPhoto(await toBuffer('receipt', { type: 'png' }), 'bukti');
    const copy = await telegram.copyMessage(admin.chatId, buyer.chatId, receipt.id);
    expect(admin.messages().find((m) => m.id === copy.message_id)).toMatchObject({
      from: 'bot',
      caption: 'bukti',
    });
    expect(admin.lastBotMessage()?.photo?.bytes.equals(receipt.photo!.bytes)).toBe(true);

    const forwarded = await telegram.forwardMessage(admin.chatId, buyer.chatId, receipt.id);
    expect(forwarded).toMatchObject({
      forward_origin: { type: 'user', sender_user: { id: buyer.chatId } },
      caption: 'bukti',
    });
    expect((await refusal(telegram.copyMessage(admin.chatId, buyer.chatId, 999))).description).toBe(
      'Bad Request: message to copy not found',
    );
  });

  it('shows the reply keyboard the bot gave, until it removes it', async () => {
    const user = newUser();
    await telegram.sendMessage(
      user.chatId,
      'Menu',
      Markup.keyboard([['🛍 Katalog', '💰 Saldo'], ['❓ Bantuan']]).resize(),
    );
    expect(user.replyKeyboard()).toEqual([['🛍 Katalog', '💰 Saldo'], ['❓ Bantuan']]);
    const tapped = await user.tapKeyboard('💰 Saldo');
    expect(tapped).toMatchObject({ from: 'user', text: '💰 Saldo' });
    await expect(user.tapKeyboard('Checkout')).rejects.toThrow(
      /no keyboard button "Checkout"; the keyboard has: 🛍 Katalog \| 💰 Saldo/,
    );

    await telegram.sendMessage(user.chatId, 'Sampai jumpa', Markup.removeKeyboard());
    expect(user.replyKeyboard()).toBeUndefined();
  });

  it('applies parse_mode and refuses text Telegram cannot parse', async () => {
    const user = newUser();
    await telegram.sendMessage(user.chatId, '*Total:* Rp 25\\.000', { parse_mode: 'MarkdownV2' });
    expect(user.lastBotMessage()?.text).toBe('Total: Rp 25.000');
    const unescaped = await refusal(
      telegram.sendMessage(user.chatId, '*Total:* Rp 25.000', { parse_mode: 'MarkdownV2' }),
    );
    expect(unescaped.description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\' at byte offset 14",
    );
    const html = await refusal(telegram.sendMessage(user.chatId, 'a<br>b', { parse_mode: 'HTML' }));
    expect(html.description).toMatch(/Unsupported start tag "br"/);
    expect((await refusal(telegram.sendMessage(user.chatId, ''))).description).toBe(
      'Bad Request: message text is empty',
    );
  });

  it('refuses callback_data over 64 bytes', async () => {
    const user = newUser();
    const tooLong = Markup.inlineKeyboard([[Markup.button.callback('Beli', 'x'.repeat(65))]]);
    expect((await refusal(telegram.sendMessage(user.chatId, 'Produk', tooLong))).description).toBe(
      'Bad Request: BUTTON_DATA_INVALID',
    );
  });

  it('numbers messages per chat and posts to groups the sandbox knows', async () => {
    const [a, b] = [newUser('A'), newUser('B')];
    expect((await telegram.sendMessage(a.chatId, 'hai')).message_id).toBe(1);
    expect((await telegram.sendMessage(b.chatId, 'hai')).message_id).toBe(1);

    const groupId = -1_000_000_000_000 - newUserId();
    const admins = sandbox.createChat(groupId, 'supergroup', 'Admin QuickCart');
    const posted = await telegram.sendMessage(groupId, 'Pesanan baru: INV-7');
    expect(posted.chat).toEqual({ id: groupId, type: 'supergroup', title: 'Admin QuickCart' });
    expect(sandbox.group(groupId).lastBotMessage()?.text).toBe('Pesanan baru: INV-7');
    expect(admins.messages()).toHaveLength(1);

    const unknown = await refusal(telegram.sendMessage(-42, 'halo'));
    expect([unknown.code, unknown.description]).toEqual([400, 'Bad Request: chat not found']);
  });
});
