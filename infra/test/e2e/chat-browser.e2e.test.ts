import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotter } from './browser';
import { decodeQr, newUserId, startBotSystem, type BotSystem } from './bot-system';

/**
 * A person in a real browser (headless Chromium): the Telegram sandbox's chat page and Pakasir's pay
 * page, clicked through as a seller trying the shop would, a screenshot of each step kept in
 * `.data/screenshots/chat-*.png`.
 */
describe('the chat page in a browser: /start, browse, QRIS, pay, goods', () => {
  let sys: BotSystem;
  let browser: Browser;
  let streaming: number;
  const shot = screenshotter('chat');

  beforeAll(async () => {
    // The browser starts meanwhile, and is kept (so closed) even when the system fails to start.
    const launched = launchBrowser();
    try {
      sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
    } finally {
      browser = await launched;
    }
    streaming = (
      await sys.stack.catalog.addProduct({ name: 'Netflix', category: 'Streaming', price: 50_000 })
    ).id;
    await sys.stack.catalog.addStock(
      streaming,
      Array.from({ length: 4 }, (_, i) => `netflix${i}@mail.test:pw${i}`),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  /** The newest bot bubble saying this, once it is on the page (the page long-polls; no reload). */
  const botSays = (page: Page, text: string) => {
    const bubble = page.locator('.msg.bot', { hasText: text }).last();
    return bubble.waitFor({ timeout: 20_000 }).then(() => bubble);
  };
  /** The button with exactly this label ('+' is not '+10') on the newest bot message that has one. */
  const press = (page: Page, button: string) =>
    page.locator('.msg.bot .inline').getByRole('button', { name: button, exact: true }).last().click();
  const type = async (page: Page, text: string) => {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  };

  it('is a Telegram chat a new customer buys in, paying on the Pakasir page', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 860 } });
    const scriptErrors: Error[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error));
    await page.goto(`${sys.telegram.url}/`);
    await shot(page, 'chat-list');
    await page.click('#new-customer');
    await page.waitForURL(/\/chat\/\d+$/);
    const userId = Number(/\/chat\/(\d+)$/.exec(page.url())?.[1]);

    // The command menu the bot published for everyone.
    await page.locator('#menu-btn').waitFor();
    await page.click('#menu-btn');
    await page.locator('#menu .cmd', { hasText: '/start' }).click();
    await page.locator('.msg.bot.sticker .emoji').waitFor({ timeout: 20_000 }); // the welcome sticker
    await botSays(page, 'Siapa nama Anda');
    await shot(page, 'start');
    await press(page, 'Lewati');
    await botSays(page, 'Nomor WhatsApp');
    await type(page, '081234567890');
    await botSays(page, 'Alamat email');
    await type(page, '/skip');
    const menu = await botSays(page, 'Halo Anonymous');
    expect(await menu.locator('.inline button').allTextContents()).toEqual([
      'Kategori',
      'Terlaris',
      'Semua Produk',
    ]);
    // The reply keyboard sits under the input, as Telegram's does.
    await expect(page.locator('#keyboard button').allTextContents()).resolves.toEqual([
      'LIST PRODUK',
      'STOK',
      'AKUN',
      'KIRIM PESAN',
      String(streaming),
    ]);
    const input = await page.locator('#composer').boundingBox();
    const keyboard = await page.locator('#keyboard').boundingBox();
    expect(keyboard!.y).toBeGreaterThanOrEqual(input!.y + input!.height - 1);
    await shot(page, 'menu');

    await press(page, 'Kategori');
    await page.locator('.inline button', { hasText: 'Streaming (1)' }).last().waitFor();
    await press(page, 'Streaming (1)');
    await page
      .locator('.inline button', { hasText: `${streaming}. Netflix` })
      .last()
      .waitFor();
    await press(page, `${streaming}. Netflix`);
    const quantity = await botSays(page, 'Jumlah: 1');
    const quantityId = await quantity.getAttribute('data-id');
    await press(page, '+');
    // The bot edits the same message: the page shows the edit in place, without a reload.
    await page.locator(`.msg[data-id="${quantityId}"]`, { hasText: 'Jumlah: 2' }).waitFor();
    await shot(page, 'browse');
    await press(page, 'Lanjut ke pembayaran');
    const summary = await botSays(page, 'Ringkasan Pesanan');
    expect(await summary.innerText()).toContain('Total tagihan (QRIS): Rp101.010');
    await press(page, 'QRIS');

    const qr = page.locator('.msg.bot', { has: page.locator('img.photo') }).last();
    await qr.locator('img.photo').waitFor({ timeout: 20_000 });
    // Loaded and drawn, not a broken image (a string: this project's TypeScript has no DOM types).
    await page.waitForFunction(
      "[...document.querySelectorAll('.msg.bot img.photo')].some((i) => i.complete && i.naturalWidth > 0)",
    );
    const qrId = await qr.getAttribute('data-id');
    const invoiceId = /INV\d{6}[A-Z0-9]{6}/.exec(await qr.innerText())![0];
    const png = await page.request.get(
      sys.telegram.url + (await qr.locator('img.photo').getAttribute('src'))!,
    );
    expect(decodeQr(await png.body())).toBe(sys.stack.sandbox.transaction(invoiceId)!.paymentNumber);
    await shot(page, 'qris');

    // Checkout Page is a URL button: it opens Pakasir's pay page in a new tab.
    const [payPage] = await Promise.all([
      page.context().waitForEvent('page'),
      qr.locator('.inline a', { hasText: 'Checkout Page' }).click(),
    ]);
    await payPage.waitForLoadState();
    await payPage.setViewportSize({ width: 480, height: 860 });
    expect(await payPage.locator('#order-id').innerText()).toBe(invoiceId);
    expect(await payPage.locator('#status').innerText()).toBe('Menunggu pembayaran');
    await shot(payPage, 'pay-page');
    await payPage.click('#pay');
    await payPage.locator('#paid').waitFor();
    await shot(payPage, 'paid');
    await payPage.close();

    // The QR message itself became the receipt with the goods, edited live without a reload.
    const goods = await botSays(page, 'netflix1@mail.test:pw1');
    expect(await goods.getAttribute('data-id')).toBe(qrId);
    const receipt = await goods.innerText();
    expect(receipt).toContain('🎉 Pesanan berhasil!');
    expect(receipt).toContain('Lunas');
    expect(receipt).toContain('netflix0@mail.test:pw0');
    await shot(page, 'goods');
    expect((await sys.stack.orders.user(userId)).whatsapp).toBe('081234567890');
    expect(scriptErrors).toEqual([]);
    await page.close();
  });

  it("shows a document to download, the chat's own command menu, safe HTML, edits and deletions", async () => {
    const id = newUserId();
    const page = await browser.newPage({ viewport: { width: 480, height: 860 } });
    const scriptErrors: Error[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error));
    await page.goto(`${sys.telegram.url}/chat/${id}`); // a user the sandbox has never seen
    await page.locator('.day', { hasText: 'No messages yet' }).waitFor();

    // The Bot API as a bot calls it (the gateway has nothing to say to this user).
    const api = async (method: string, body: object | FormData) => {
      const res = await fetch(`${sys.telegram.url}/bote2e-token/${method}`, {
        method: 'POST',
        ...(body instanceof FormData
          ? { body }
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const answer = (await res.json()) as { ok: boolean; result: { message_id: number } };
      expect(answer.ok).toBe(true);
      return answer.result;
    };
    const upload = new FormData();
    upload.set('chat_id', String(id));
    upload.set('document', new Blob(['akun1@mail.test:pw1\n']), 'pesanan.txt');
    upload.set('caption', '<b>Pesanan</b> Anda');
    upload.set('parse_mode', 'HTML');
    await api('sendDocument', upload);
    const note = await api('sendMessage', {
      chat_id: id,
      parse_mode: 'HTML',
      text: 'Kode: <tg-spoiler>RAHASIA</tg-spoiler> <a href="javascript:alert(1)">klik</a> <i>lama</i>',
    });
    const gone = await api('sendMessage', { chat_id: id, text: 'sementara' });
    await api('setMyCommands', {
      commands: [
        { command: 'start', description: 'Mulai' },
        { command: 'addstock', description: '/addstock ID lalu baris stok' },
      ],
      scope: { type: 'chat', chat_id: id },
    });

    const docMessage = page.locator('.msg.bot', { has: page.locator('a.doc') });
    const doc = docMessage.locator('a.doc');
    await doc.waitFor();
    expect(await docMessage.locator('b').innerText()).toBe('Pesanan');
    const [download] = await Promise.all([page.waitForEvent('download'), doc.click()]);
    expect(download.suggestedFilename()).toBe('pesanan.txt');
    const { readFile } = await import('node:fs/promises');
    expect(await readFile((await download.path())!, 'utf8')).toBe('akun1@mail.test:pw1\n');

    const noteBubble = page.locator(`.msg[data-id="${note.message_id}"]`);
    expect(await noteBubble.locator('a').getAttribute('href')).toBeNull(); // no javascript: link
    await noteBubble.locator('.tg-spoiler').click();
    await noteBubble.locator('.tg-spoiler.shown').waitFor();
    await page.click('#menu-btn');
    expect(await page.locator('#menu .cmd').allTextContents()).toEqual(['/start', '/addstock']);
    await shot(page, 'document-menu');
    await page.click('#menu-btn');

    await api('editMessageText', {
      chat_id: id,
      message_id: note.message_id,
      parse_mode: 'HTML',
      text: 'Kode: <code>BARU</code>',
    });
    await api('deleteMessage', { chat_id: id, message_id: gone.message_id });
    await noteBubble.locator('code', { hasText: 'BARU' }).waitFor();
    expect(await noteBubble.locator('.time').innerText()).toContain('edited');
    await page.locator(`.msg[data-id="${gone.message_id}"]`).waitFor({ state: 'detached' });
    await shot(page, 'edited');
    expect(scriptErrors).toEqual([]);
    await page.close();
  });
});
