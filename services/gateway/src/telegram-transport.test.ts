import { startTelegramSandbox, type TelegramSandbox } from '@quickcart/sandbox';
import { createServer } from 'node:net';
import { Telegram, TelegramError } from 'telegraf';
import { worthTryingAgain } from './inbox/bot-handler';
import { sendPlainJsonDirectly, TelegramUnreachable } from './telegram-transport';

let sandbox: TelegramSandbox;
let seq = 0;
const TOKEN = '7200:transport-secret';
const newChat = () =>
  sandbox.user({ id: 610_000_000 + (process.pid % 10_000) * 100 + ++seq, firstName: 'Tri' });
const telegraf = () => new Telegram(TOKEN, { apiRoot: sandbox.apiRoot });
const direct = () => sendPlainJsonDirectly(new Telegram(TOKEN, { apiRoot: sandbox.apiRoot }));
const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeAll(async () => {
  sandbox = await startTelegramSandbox({ port: 0 });
});
afterAll(() => sandbox?.close());
afterEach(() => sandbox.faults.reset());

/** Our transport answers what telegraf's does, call for call, through the Telegram emulator. */
describe('plain JSON calls sent directly', () => {
  it('send, edit and answer as telegraf does', async () => {
    const chat = newChat();
    const keyboard = { reply_markup: { inline_keyboard: [[{ text: 'Beli', callback_data: 'b:1' }]] } };
    const sent = await direct().sendMessage(chat.chatId, 'langsung', keyboard);
    const viaTelegraf = await telegraf().sendMessage(chat.chatId, 'lewat telegraf', keyboard);
    expect(Object.keys(sent).sort()).toEqual(Object.keys(viaTelegraf).sort());
    expect(sent.text).toBe('langsung');
    expect(chat.messages()[0]!.inlineKeyboard).toEqual([[expect.objectContaining({ text: 'Beli' })]]);
    await direct().editMessageText(chat.chatId, sent.message_id, undefined, 'diubah');
    expect(chat.messages().map((m) => m.text)).toEqual(['diubah', 'lewat telegraf']);
  });

  it("refused: the same TelegramError, Telegram's code, description and parameters", async () => {
    const chat = newChat();
    const edit = (t: Telegram) => t.editMessageText(chat.chatId, 999_999, undefined, 'tidak ada');
    const ours = (await failureOf(edit(direct()))) as TelegramError;
    const theirs = (await failureOf(edit(telegraf()))) as TelegramError;
    expect(ours).toBeInstanceOf(TelegramError);
    expect({ code: ours.code, description: ours.description }).toEqual({
      code: theirs.code,
      description: theirs.description,
    });
    expect(ours.code).toBe(400);

    sandbox.failNext({ method: 'sendMessage', chatId: chat.chatId, count: 2, errorCode: 429, retryAfter: 7 });
    const limited = [
      (await failureOf(direct().sendMessage(chat.chatId, 'x'))) as TelegramError,
      (await failureOf(telegraf().sendMessage(chat.chatId, 'x'))) as TelegramError,
    ];
    expect(limited.map((e) => [e.code, e.parameters?.retry_after, e.description])).toEqual([
      [429, 7, limited[1]!.description],
      [429, 7, limited[1]!.description],
    ]);
  });

  it("a 5xx: a TelegramError with the status, as telegraf's", async () => {
    const chat = newChat();
    sandbox.failNext({ method: 'sendMessage', chatId: chat.chatId, count: 2, errorCode: 502 });
    const ours = (await failureOf(direct().sendMessage(chat.chatId, 'x'))) as TelegramError;
    const theirs = (await failureOf(telegraf().sendMessage(chat.chatId, 'x'))) as TelegramError;
    expect(ours).toBeInstanceOf(TelegramError);
    expect([ours.code, ours.description]).toEqual([theirs.code, theirs.description]);
  });

  it('Telegram unreachable: tried again by the inbox, and the token is in no message', async () => {
    // A port nothing listens on.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    const down = sendPlainJsonDirectly(new Telegram(TOKEN, { apiRoot: `http://127.0.0.1:${port}/` }));
    const error = (await failureOf(down.sendMessage(1, 'x'))) as Error;
    expect(error).toBeInstanceOf(TelegramUnreachable);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain('transport-secret');
    expect(worthTryingAgain(error)).toBe(true);
  });

  it('leaves an upload to telegraf', async () => {
    const chat = newChat();
    await direct().sendDocument(chat.chatId, { source: Buffer.from('a,b\n'), filename: 'x.csv' });
    expect(chat.messages().map((m) => m.document?.bytes.toString())).toEqual(['a,b\n']);
  });
});
