import { createLogger } from '@quickcart/kit';
import { startTelegramSandbox, type TelegramSandbox } from '@quickcart/sandbox';
import { Readable } from 'node:stream';
import { Input, Telegram, TelegramError } from 'telegraf';
import { honourRetryAfter } from './retry-after';

let sandbox: TelegramSandbox;
let seq = 0;
const newChat = () =>
  sandbox.user({ id: 600_000_000 + (process.pid % 10_000) * 100 + ++seq, firstName: 'Ra' });
const client = () =>
  honourRetryAfter(
    new Telegram('7100:retry-after', { apiRoot: sandbox.apiRoot }),
    createLogger('t', 'silent'),
    {
      attempts: 3,
      maxWaitSeconds: 2,
    },
  );

beforeAll(async () => {
  sandbox = await startTelegramSandbox({ port: 0 });
});
afterAll(() => sandbox?.close());
afterEach(() => sandbox.faults.reset());

describe("honouring Telegram's retry_after", () => {
  it('waits as asked and sends: a burst over the per-chat limit arrives whole', async () => {
    const chat = newChat();
    const telegram = client();
    const started = Date.now();
    for (let i = 0; i < 7; i++) await telegram.sendMessage(chat.chatId, `pesan ${i}`);
    expect(chat.messages().map((m) => m.text)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `pesan ${i}`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // the sixth waited for its second
  });

  it('gives up after its attempts and hands the 429 to the caller', async () => {
    const chat = newChat();
    sandbox.failNext({ method: 'sendMessage', chatId: chat.chatId, count: 5, errorCode: 429, retryAfter: 1 });
    const refused = await client()
      .sendMessage(chat.chatId, 'tidak sampai')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TelegramError);
    expect((refused as TelegramError).code).toBe(429);
    expect(sandbox.faults.pending()).toEqual([expect.objectContaining({ left: 2 })]); // 3 attempts made
    expect(chat.messages()).toEqual([]);
  });

  it('does not sit out a long retry_after: that is the caller to schedule', async () => {
    const chat = newChat();
    sandbox.failNext({ method: 'sendMessage', chatId: chat.chatId, errorCode: 429, retryAfter: 30 });
    const started = Date.now();
    const refused = await client()
      .sendMessage(chat.chatId, 'nanti')
      .catch((e: unknown) => e);
    expect((refused as TelegramError).parameters?.retry_after).toBe(30);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('never sends a stream twice: a document read from a stream gets its 429 back (its caller opens it again)', async () => {
    const chat = newChat();
    sandbox.failNext({ method: 'sendDocument', chatId: chat.chatId, errorCode: 429, retryAfter: 1 });
    const refused = await client()
      .sendDocument(chat.chatId, Input.fromReadableStream(Readable.from(['a,b\n', '1,2\n']), 'x.csv'))
      .catch((e: unknown) => e);
    expect((refused as TelegramError).code).toBe(429);
    expect(chat.messages()).toEqual([]); // no second, empty, file
    // A buffer can be sent again: it is retried as before.
    sandbox.failNext({ method: 'sendDocument', chatId: chat.chatId, errorCode: 429, retryAfter: 1 });
    await client().sendDocument(chat.chatId, Input.fromBuffer(Buffer.from('a,b\n'), 'y.csv'));
    expect(chat.messages().map((m) => m.document?.bytes.toString())).toEqual(['a,b\n']);
  });

  it('leaves every other refusal alone', async () => {
    const chat = newChat();
    sandbox.failNext({ method: 'sendMessage', chatId: chat.chatId, count: 2, errorCode: 502 });
    await expect(client().sendMessage(chat.chatId, 'x')).rejects.toMatchObject({ code: 502 });
    expect(sandbox.faults.pending()).toEqual([expect.objectContaining({ left: 1 })]);
  });
});
