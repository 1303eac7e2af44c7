import { ADMIN_ID } from '../../../services/orders/test/stack';
import { freePort, newUserId, startBotSystem } from './bot-system';
import { eventually } from './eventually';

type Msg = { id: number; from: 'bot' | 'user'; text?: string; caption?: string };
const textOf = (m: Msg) => m.text ?? m.caption ?? '';

describe('the bot: messages to admins, information, bans, rate limit', () => {
  let sys: Awaited<ReturnType<typeof startBotSystem>>;
  beforeAll(async () => {
    sys = await startBotSystem(
      { paymentTimeout: '10m', pollInterval: '60s' },
      { RATE_LIMIT_PER_MINUTE: '12' },
    );
  });
  afterAll(() => sys?.close());

  it('forwards KIRIM PESAN to the admins, and an admin’s reply reaches the customer', async () => {
    const admin = sys.telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
    await admin.send('/start');
    await admin.waitForText('Halo');
    const customer = sys.telegram.user({ id: newUserId(), firstName: 'Tanya', username: 'tanya' });
    await sys.stack.orders.upsertUser({ id: customer.id, name: 'Tanya' });
    await customer.send('/start');
    await customer.waitForText('Halo Tanya');
    await customer.tapKeyboard('KIRIM PESAN');
    await customer.waitForText('Silakan kirim pesan untuk admin');
    await customer.send('Akun Netflix saya tidak bisa login');
    await customer.waitForText('sudah diteruskan ke admin');
    const forwarded = await admin.waitForText('Akun Netflix saya tidak bisa login');
    expect(textOf(forwarded)).toContain(`Pesan dari Tanya (@tanya, ID ${customer.id})`);
    await admin.reply(forwarded.id, 'Silakan coba akun pengganti: baru@mail.test');
    await customer.waitForText('Balasan admin:\nSilakan coba akun pengganti: baru@mail.test');
  });

  it('answers /help, /order, /stock and /refund', async () => {
    const { id } = await sys.stack.catalog.addProduct({ name: 'Zoom Pro', price: 40_000 });
    await sys.stack.catalog.addStock(id, ['zoom1', 'zoom2']);
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Info' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Info' });
    await user.send('/help');
    await user.waitForText('/refund INV');
    await user.send('/order');
    await user.waitForText('Cara memesan');
    await user.send('/stock');
    await user.waitForText(`${id}. Zoom Pro — stok 2`);
    await user.send('/refund');
    await user.waitForText('Format salah. Contoh penggunaan yang benar:\n/refund INV');
    await user.send('/refund INV261125ZZZZZZ');
    await user.waitForText('Invoice tidak ditemukan');
  });

  it('gives a banned user one short message and nothing else', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Nakal' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Nakal' });
    await sys.stack.orders.setBanned(user.id, true, String(ADMIN_ID));
    await user.send('/start');
    await user.waitForText('Akun Anda diblokir');
    await user.send('1');
    await user.waitFor((m: Msg) => m.from === 'bot' && textOf(m).includes('diblokir') && m.id > 2);
    expect(
      user
        .messages()
        .filter((m: Msg) => m.from === 'bot')
        .every((m: Msg) => textOf(m).includes('diblokir')),
    ).toBe(true);
  });

  it('slows down a flood: one "terlalu cepat" notice, the rest unanswered', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Cepat' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Cepat' });
    for (let i = 0; i < 20; i++) await user.send('/help');
    await user.waitForText('terlalu cepat');
    // The twelve answers are paced by Telegram's per-chat limit (about one a second after a burst).
    const helps = () =>
      user.messages().filter((m: Msg) => m.from === 'bot' && textOf(m).includes('Bantuan QuickCart'));
    await eventually(
      () => helps().length,
      (n) => n >= 12,
      'twelve answers',
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    const bot = user.messages().filter((m: Msg) => m.from === 'bot');
    expect(bot.filter((m: Msg) => textOf(m).includes('terlalu cepat'))).toHaveLength(1);
    expect(helps()).toHaveLength(12);
  });
});

describe('the bot in webhook mode', () => {
  let sys: Awaited<ReturnType<typeof startBotSystem>>;
  const secret = 'webhook-secret-token-123';
  beforeAll(async () => {
    const port = await freePort();
    sys = await startBotSystem(
      { paymentTimeout: '10m', pollInterval: '60s' },
      {
        TELEGRAM_WEBHOOK_PORT: String(port),
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}`,
        TELEGRAM_WEBHOOK_SECRET: secret,
      },
    );
  });
  afterAll(() => sys?.close());

  it('receives updates on the webhook with Telegram’s secret token and answers them', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Hook' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Hook' });
    await user.send('/start');
    await user.waitForText('Halo Hook');
  });

  it('refuses an update without the secret token or with a wrong one, and handles neither', async () => {
    const forger = sys.telegram.user({ id: newUserId(), firstName: 'Forger' });
    const update = (updateId: number) =>
      JSON.stringify({
        update_id: updateId,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: forger.id, type: 'private' },
          from: { id: forger.id, is_bot: false, first_name: 'Forger' },
          text: '/start',
          entities: [{ type: 'bot_command', offset: 0, length: 6 }],
        },
      });
    const attempts: Record<string, string>[] = [
      {},
      { 'x-telegram-bot-api-secret-token': 'wrong-secret-token-0000' },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${sys.gatewayWebhookUrl}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: update(900_000 + Object.keys(headers).length),
      });
      expect(res.status).toBe(401);
    }
    // The same update with the secret is handled: the refusals above were the secret, nothing else.
    const res = await fetch(`${sys.gatewayWebhookUrl}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: update(900_010),
    });
    expect(res.status).toBe(200);
    await forger.waitForText('Selamat datang');
    const welcomes = forger
      .messages()
      .filter((m: Msg) => m.from === 'bot' && textOf(m).includes('Selamat datang'));
    expect(welcomes).toHaveLength(1);
  });
});
