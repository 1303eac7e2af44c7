import { Input, type Telegraf } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { newBot, newUserId, refusal, startSandbox } from './harness';

let sandbox: TelegramSandbox;
let bot: Telegraf;

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ bot } = newBot(sandbox));
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.faults.reset());

describe('answers lost after Telegram acted (a test control)', () => {
  it('`applied` lets the call act, then answers the error: the message is there though the bot saw 502', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Lina' });
    sandbox.failNext({ method: 'sendMessage', applied: true, errorCode: 502 });
    expect((await refusal(bot.telegram.sendMessage(user.chatId, 'barang'))).code).toBe(502);
    expect(user.botMessages().map((m) => m.text)).toEqual(['barang']);
    await bot.telegram.sendMessage(user.chatId, 'lagi');
    expect(user.botMessages().map((m) => m.text)).toEqual(['barang', 'lagi']);
  });

  it('`textIncludes` picks the call carrying a text: in its text, its caption or an uploaded file', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Mega' });
    sandbox.failNext({ textIncludes: 'rahasia', count: 3, errorCode: 500 });
    await bot.telegram.sendMessage(user.chatId, 'biasa');
    expect((await refusal(bot.telegram.sendMessage(user.chatId, 'isi rahasia'))).code).toBe(500);
    const withCaption = bot.telegram.sendDocument(user.chatId, Input.fromBuffer(Buffer.from('x'), 'a.txt'), {
      caption: 'rahasia',
    });
    expect((await refusal(withCaption)).code).toBe(500);
    const inFile = bot.telegram.sendDocument(
      user.chatId,
      Input.fromBuffer(Buffer.from('baris rahasia\n'), 'b.txt'),
    );
    expect((await refusal(inFile)).code).toBe(500);
    expect(sandbox.faults.pending()).toEqual([]);
    expect(user.botMessages().map((m) => m.text)).toEqual(['biasa']);
  });

  it('editMessageMedia replaces a document with an upload, and refuses to turn text into a file', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Nina' });
    const placeholder = await bot.telegram.sendDocument(
      user.chatId,
      Input.fromBuffer(Buffer.from('tunggu'), 'INV1.txt'),
      { caption: 'menyiapkan' },
    );
    const media = {
      type: 'document' as const,
      media: Input.fromBuffer(Buffer.from('isi panjang\n'), 'INV1.txt'),
      caption: 'Detail produk',
    };
    await bot.telegram.editMessageMedia(user.chatId, placeholder.message_id, undefined, media);
    const [shown] = user.botMessages();
    expect(shown).toMatchObject({ id: placeholder.message_id, caption: 'Detail produk' });
    expect(shown?.document?.bytes.toString()).toBe('isi panjang\n');
    expect(shown?.editDate).toBeDefined();

    const text = await bot.telegram.sendMessage(user.chatId, 'teks');
    const refused = await refusal(
      bot.telegram.editMessageMedia(user.chatId, text.message_id, undefined, media),
    );
    expect(refused.description).toBe('Bad Request: there is no media in the message to edit');
    const gone = await refusal(bot.telegram.editMessageMedia(user.chatId, 999_999, undefined, media));
    expect(gone.description).toBe('Bad Request: message to edit not found');
  });
});
