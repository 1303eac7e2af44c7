import { customerAtSummary, decodeQr, newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';

/**
 * The product against the Telegram sandbox's strict rules (issue 13): every suite runs under Telegram's
 * own limits (30 messages/s, about 1/s per chat after a short burst, 15 s to answer a press); these
 * tests push each rule on purpose.
 */
type Msg = {
  id: number;
  from: 'bot' | 'user';
  text?: string;
  caption?: string;
  photo?: unknown;
  inlineKeyboard?: { text: string }[][];
};
const textOf = (m: Msg) => m.text ?? m.caption ?? '';
const buttons = (m: Msg) => (m.inlineKeyboard ?? []).map((row) => row.map((b) => b.text));

let sys: BotSystem;
let productId: number;
beforeAll(async () => {
  sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
  productId = (await sys.stack.catalog.addProduct({ name: 'Spotify', price: 20_000 })).id;
  await sys.stack.catalog.addStock(
    productId,
    Array.from({ length: 10 }, (_, i) => `spotify-${i}`),
  );
});
afterAll(() => sys?.close());
afterEach(() => {
  sys.telegram.faults.reset();
  sys.stack.sandbox.faults.reset();
});

async function customerWithQr(name: string) {
  const user = await customerAtSummary(sys, name, productId);
  await user.press('QRIS');
  const qr = await user.waitFor((m: Msg) => m.photo !== undefined);
  return { user, qr };
}

const health = async () => {
  const res = await fetch(`${sys.gatewayUrl}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the product under the Telegram sandbox strict rules', () => {
  it('a cancelled QR becomes the notice: its image replaced (nothing to scan), its caption the notice', async () => {
    const { user, qr } = await customerWithQr('Foto');
    await user.press('Batalkan');
    const edited = await user.waitFor(
      (m: Msg) => m.id === qr.id && textOf(m).startsWith('⏰ Pesanan dibatalkan atau expired'),
      { timeoutMs: 20_000 },
    );
    expect(edited.photo).toBeDefined();
    expect(decodeQr(edited.photo!.bytes)).toBeUndefined();
    expect(buttons(edited)).toEqual([['Kembali']]);
  });

  it('when Telegram will not edit the QR, it is deleted and the notice comes as a new message', async () => {
    const { user, qr } = await customerWithQr('Hapus');
    sys.telegram.failNext({
      method: 'editMessageMedia',
      chatId: user.id,
      count: 20,
      errorCode: 400,
      description: 'Bad Request: message to edit not found',
    });
    await user.press('Batalkan');
    await user.waitForText('⏰ Pesanan dibatalkan atau expired', { timeoutMs: 30_000 });
    expect(user.messages().some((m: Msg) => m.id === qr.id)).toBe(false);
  });

  it('answers the status button at once while Pakasir is slow, and the result comes as a message', async () => {
    const { user } = await customerWithQr('Cek');
    sys.stack.sandbox.faults.set({ delayMs: 8_000, failPaths: ['transactiondetail'] });
    const pressed = Date.now();
    const query = await user.press('Status Pembayaran');
    const answered = await user.waitForCallbackAnswer(query, 2_000);
    expect(answered.text).toBe('⏳ Mengecek…');
    expect(answered.answeredAfterMs).toBeLessThan(1_500);
    const result = await user.waitForText('Pembayaran belum diterima (belum dibayar).', {
      timeoutMs: 20_000,
    });
    expect(result.from).toBe('bot');
    expect(Date.now() - pressed).toBeGreaterThanOrEqual(7_500); // it did wait for the slow Pakasir
  });

  it('keeps answering other people while one status check waits for a slow Pakasir', async () => {
    const { user } = await customerWithQr('Tunggu');
    sys.stack.sandbox.faults.set({ delayMs: 6_000, failPaths: ['transactiondetail'] });
    await user.press('Status Pembayaran');
    const other = sys.telegram.user({ id: newUserId(), firstName: 'Lain' });
    const started = Date.now();
    await other.send('/help');
    await other.waitForText('Bantuan', { timeoutMs: 3_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    await user.waitForText('Pembayaran belum diterima', { timeoutMs: 20_000 });
  });

  it('waits out a 429 from Telegram and sends the reply after retry_after', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Antre' });
    sys.telegram.failNext({ method: 'sendMessage', chatId: user.id, errorCode: 429, retryAfter: 1 });
    const sent = Date.now();
    await user.send('/help');
    await user.waitForText('Bantuan', { timeoutMs: 10_000 });
    expect(Date.now() - sent).toBeGreaterThanOrEqual(900);
    expect(sys.telegram.faults.pending()).toEqual([]);
  });

  it("keeps answering other people while one chat's replies wait out Telegram's retry_after", async () => {
    // telegraf's long poll waits for a whole batch before it asks for the next one: without a budget
    // for each update, this chat's 12 s of waiting held every later update of everyone.
    const slow = sys.telegram.user({ id: newUserId(), firstName: 'Lambat' });
    sys.telegram.failNext({
      method: 'sendMessage',
      chatId: slow.id,
      count: 3,
      errorCode: 429,
      retryAfter: 4,
    });
    await slow.send('/help');
    await new Promise((resolve) => setTimeout(resolve, 500)); // its batch is being handled
    const other = sys.telegram.user({ id: newUserId(), firstName: 'Cepat' });
    const sent = Date.now();
    await other.send('/help');
    await other.waitForText('Bantuan', { timeoutMs: 20_000 });
    expect(Date.now() - sent).toBeLessThan(5_000);
    await slow.waitForText('Bantuan', { timeoutMs: 20_000 });
  });

  it('gets every reply of a burst to one chat through the per-chat limit', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Borong' });
    for (let i = 0; i < 9; i++) await user.send('/help');
    const helps = () => user.messages().filter((m: Msg) => m.from === 'bot' && textOf(m).includes('Bantuan'));
    await eventually(
      () => helps().length,
      (n) => n === 9,
      'nine answers',
      20_000,
    );
  });

  it('restarts polling after a 409 conflict, reports it on /health, and answers again', async () => {
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, polling: 'polling' } });
    sys.telegram.failNext({
      method: 'getUpdates',
      count: 3,
      errorCode: 409,
      description:
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    // The gateway's long poll in flight ends when any update arrives; this one is the trigger.
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Konflik' });
    await user.send('/help');
    const down = await eventually(health, (h) => h.status === 503, 'health 503', 10_000);
    expect(String(down.body.message)).toMatch(/telegram polling restarting since .*Conflict/);
    await user.waitForText('Bantuan', { timeoutMs: 30_000 });
    await eventually(health, (h) => h.status === 200, 'health 200', 10_000);
  });

  it('survives a second instance polling for a while, then reads updates again', async () => {
    // The other instance polls again and again: a poll of it that lands between two of the gateway's
    // is itself ended by the gateway's next one, so a single poll may never cross the gateway's.
    let competing = true;
    const other = (async () => {
      while (competing)
        await fetch(`${sys.telegram.url}/bote2e-token/getUpdates?timeout=1`).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
    })();
    await eventually(health, (h) => h.status === 503, 'health 503', 10_000).finally(() => {
      competing = false;
    });
    await other; // the other instance gives up
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Kembali' });
    await user.send('/help');
    await user.waitForText('Bantuan', { timeoutMs: 30_000 });
    await eventually(health, (h) => h.status === 200, 'health 200', 10_000);
  });
});
