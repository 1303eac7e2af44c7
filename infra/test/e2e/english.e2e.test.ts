import { useAdminChat, textOf, type Msg } from './admin-chat';
import { newUserId, payInSandbox } from './bot-system';
import { eventually } from './eventually';

type Shown = Msg & { inlineKeyboard?: { text: string }[][] };
const buttons = (m: Shown) => (m.inlineKeyboard ?? []).map((r) => r.map((b) => b.text));
const invoiceIn = (m: Msg) => /INV\d{6}[A-Z0-9]{6}/.exec(textOf(m))![0];
const menuText = (commands: { command: string; description: string }[], command: string) =>
  commands.find((c) => c.command === command)?.description;

/**
 * English beside Indonesian (docs/features.md §8.1): a customer reads the language their Telegram names
 * until they choose in the account menu; an admin chooses with /lang; the workflows' notices come in the
 * recipient's language. Through the Telegram and Pakasir sandboxes, with the real services and worker.
 */
describe('the shop in English', () => {
  const chat = useAdminChat();
  let productId: number;
  beforeAll(async () => {
    productId = (
      await chat.sys.stack.catalog.addProduct({ name: 'Spotify', category: 'Music', price: 40_000 })
    ).id;
    await chat.sys.stack.catalog.addStock(
      productId,
      Array.from({ length: 6 }, (_, i) => `spotify${i}@mail.test:pw${i}`),
    );
  });

  it('a customer whose Telegram is in English onboards, buys by QRIS and gets the goods, all in English', async () => {
    const user = chat.sys.telegram.user({ id: newUserId(), firstName: 'Emma', languageCode: 'en' });
    await user.send('/start');
    await user.waitForText('What is your name?');
    await user.press('Skip');
    await user.waitForText('Your WhatsApp number?');
    await user.send('123');
    await user.waitForText('8–15 digits');
    await user.send('/skip');
    await user.waitForText('Your email address?');
    await user.send('/skip');
    const menu = await user.waitForText('Hello Anonymous');
    expect(textOf(menu)).toContain('Welcome to Toko Uji');
    expect(buttons(menu)).toEqual([['Categories', 'Best sellers', 'All Products']]);
    expect(user.replyKeyboard()?.slice(0, 2)).toEqual([
      ['PRODUCTS', 'STOCK'],
      ['ACCOUNT', 'SEND MESSAGE'],
    ]);
    // The public menu Telegram shows by language_code: English for an English Telegram.
    expect(menuText(user.commands(), 'start')).toBe('Main menu');
    expect(await chat.sys.stack.orders.user(user.id)).toMatchObject({
      language: 'en',
      languageChosen: false,
    });

    await user.send(String(productId));
    await user.waitForText('Quantity: 1');
    await user.press('+');
    await user.waitForText('Quantity: 2');
    await user.press('Continue to payment');
    const summary = await user.waitForText('Order summary');
    expect(textOf(summary)).toContain('Amount due (QRIS): Rp80.870');
    expect(buttons(summary)).toEqual([['Use a voucher'], ['QRIS', 'BALANCE'], ['BACK', 'CANCEL']]);
    await user.press('QRIS');

    // The QR comes from the purchase workflow through /notify: the gateway renders it in her language.
    const qr = (await user.waitFor((m: Shown) => m.photo !== undefined)) as Shown;
    const invoiceId = invoiceIn(qr);
    expect(textOf(qr)).toContain('Total to pay: Rp80.870');
    expect(textOf(qr)).toContain('Scan this QR');
    expect(buttons(qr)).toEqual([['Checkout Page', '🏦 Other methods'], ['Payment status'], ['Cancel']]);
    await payInSandbox(chat.sys, invoiceId);
    const receipt = await user.waitFor((m: Msg) => m.id === qr.id && textOf(m).includes('Paid'));
    expect(textOf(receipt)).toContain('🎉 Order complete!');
    expect(textOf(receipt)).toContain('Product: Spotify');
    for (const i of [0, 1]) expect(textOf(receipt)).toContain(`spotify${i}@mail.test:pw${i}`);
    // The admin hears of it in their own language, Indonesian: each recipient reads their own.
    await chat.admin.waitForText(
      `🆕 Order baru masuk!\n👤 User: Anonymous\n📦 Produk: Spotify\n🔢 Jumlah: 2\n🧾 Invoice: ${invoiceId}`,
    );
    // Nothing she was shown was Indonesian.
    const shown = user
      .messages()
      .filter((m: Msg) => m.from === 'bot')
      .map(textOf)
      .join('\n');
    expect(shown).not.toMatch(/Jumlah|Pesanan|Silakan|Selamat/);
  });

  it('a customer switches language in the account menu: screens, keyboard, menu and notices follow, on the record', async () => {
    const user = chat.sys.telegram.user({ id: newUserId(), firstName: 'Budi', languageCode: 'id' });
    await chat.sys.stack.orders.upsertUser({ id: user.id, name: 'Budi' });
    await user.send('/start');
    await user.waitForText('Halo Budi');
    await user.tapKeyboard('AKUN');
    const account = await user.waitForText('Akun Anda');
    expect(buttons(account).at(-1)).toEqual(['🌐 Bahasa / Language']);
    await user.press('🌐 Bahasa / Language');
    const choice = await user.waitForText('Pilih bahasa');
    expect(buttons(choice)).toEqual([['🇮🇩 Bahasa Indonesia'], ['🇬🇧 English'], ['Kembali']]);
    await user.press('🇬🇧 English');
    await user.waitForText('Your account');
    await user.waitForText('✅ Language: English.');
    expect(user.replyKeyboard()?.slice(0, 2)).toEqual([
      ['PRODUCTS', 'STOCK'],
      ['ACCOUNT', 'SEND MESSAGE'],
    ]);
    // Her chat's own menu, which wins over the Indonesian one her Telegram would pick.
    expect(menuText(user.commands(), 'order')).toBe('How to order');
    expect(await chat.sys.stack.orders.user(user.id)).toMatchObject({ language: 'en', languageChosen: true });
    const record = await eventually(
      () =>
        chat.sys.stack.auditSql<{ actor: string; before: unknown; after: unknown }>(
          `SELECT actor, before, after FROM audit_log WHERE action = 'user.language' AND target_id = $1`,
          [String(user.id)],
        ),
      (rows) => rows.length === 1,
      'the language choice on the audit record',
    );
    expect(record[0]).toEqual({
      actor: String(user.id),
      before: { language: 'id' },
      after: { language: 'en' },
    });

    // A keyboard sent before the change still works; what it opens is in English now.
    const before = user.messages().at(-1)!.id;
    await user.send('AKUN');
    await user.waitForText('Your account', { after: before });
    // A workflow's notice: the deposit's QR, rendered by the gateway in her chosen language.
    await user.press('Deposit');
    await user.waitForText('Choose the deposit amount');
    await user.press('Rp 10.000');
    await user.waitFor((m: Msg) => m.photo !== undefined && textOf(m).includes('Balance deposit'));

    // Back to Indonesian: the Telegram language does not win over a choice, whichever it was.
    await user.tapKeyboard('ACCOUNT');
    await user.waitForText('Your account', { after: user.messages().at(-2)!.id });
    await user.press('🌐 Bahasa / Language');
    await user.waitForText('Choose your language');
    await user.press('🇮🇩 Bahasa Indonesia');
    await user.waitForText('✅ Bahasa: Indonesia.');
    expect(user.replyKeyboard()?.[0]).toEqual(['LIST PRODUK', 'STOK']);
    expect(menuText(user.commands(), 'order')).toBe('Cara memesan');
  });

  it('a notice to someone this gateway has not seen reads the language orders keeps for them', async () => {
    const user = chat.sys.telegram.user({ id: newUserId(), firstName: 'Kate' });
    await chat.sys.stack.orders.upsertUser({ id: user.id, name: 'Kate', languageCode: 'en-US' });
    const order = await chat.sys.stack.orders.deposit({ userId: user.id, amount: 20_000 });
    await eventually(
      () => chat.sys.stack.sandbox.transaction(order.invoiceId),
      (tx) => tx !== undefined,
      'the deposit invoice at Pakasir',
    );
    await payInSandbox(chat.sys, order.invoiceId);
    // The deposit workflow's notice through /notify: the gateway asks orders whose chat it is.
    const credited = await user.waitForText('💰 Deposit complete!');
    expect(textOf(credited)).toContain('Your balance went up by Rp20.000');
    await chat.admin.waitForText('💸 User Kate berhasil deposit Rp20.000.'); // the admin's own, Indonesian
  });

  it('an admin chooses with /lang: replies, formats, the command menu and order notices in English', async () => {
    expect(await chat.asAdmin('/lang')).toBe(
      'Format salah. Contoh penggunaan yang benar:\n/lang id|en (id: Bahasa Indonesia, en: English)\nContoh: /lang en',
    );
    expect(await chat.asAdmin('/lang en')).toMatch(/^✅ Language: English\./);
    expect(await chat.asAdmin('/del satu')).toBe('Wrong format. Correct usage:\n/del id\nExample: /del 101');
    await eventually(
      () => menuText(chat.admin.commands(), 'editsold'),
      (d) => d === '/editsold id|count (may be negative)',
      "the admin's menu in English",
    );
    expect(menuText(chat.admin.commands(), 'start')).toBe('Main menu');

    // The customer stays in Indonesian; the admin hears of the order in English.
    const after = chat.admin.messages().at(-1)!.id;
    await chat.sys.stack.worker.postLedgerEntry({
      userId: chat.customer.id,
      delta: 40_000,
      reason: 'transfer',
      idempotencyKey: `lang-${chat.customer.id}`,
    });
    await chat.sys.stack.orders.checkout({
      userId: chat.customer.id,
      productId,
      quantity: 1,
      paymentMethod: 'balance',
    });
    await chat.customer.waitForText('🎉 Pesanan berhasil!');
    const notice = await chat.admin.waitForText('🆕 New order!', { after });
    expect(textOf(notice)).toContain('Product: Spotify');

    expect(await chat.asAdmin('/lang id')).toMatch(/^✅ Bahasa: Indonesia\./);
    // The menu is set once the command has answered.
    await eventually(
      () => menuText(chat.admin.commands(), 'editsold'),
      (d) => d === '/editsold id|jumlah (boleh negatif)',
      "the admin's menu back in Indonesian",
    );
  });

  it('a warranty claim in English: the customer claims, an English admin decides, each reads their own', async () => {
    const { orders, worker } = chat.sys.stack;
    const user = chat.sys.telegram.user({ id: newUserId(), firstName: 'Liam', languageCode: 'en' });
    await orders.upsertUser({ id: user.id, name: 'Liam', languageCode: 'en' });
    await worker.postLedgerEntry({
      userId: user.id,
      delta: 40_000,
      reason: 'deposit',
      idempotencyKey: `warranty-en-${user.id}`,
    });
    const { invoiceId } = await orders.checkout({
      userId: user.id,
      productId,
      quantity: 1,
      paymentMethod: 'balance',
    });
    await user.waitForText(`Invoice: ${invoiceId}\nThank you`);
    // The admin's notice of the order first, so it cannot pass for an answer to the commands below.
    await chat.admin.waitForText(`🧾 Invoice: ${invoiceId}`);
    expect(await chat.asAdmin('/setwarranty abc')).toBe(
      'Format salah. Contoh penggunaan yang benar:\n/setwarranty id_produk hari (0–3650; 0 = tanpa garansi)\nContoh: /setwarranty 101 14',
    );
    expect(await chat.asAdmin('/lang en')).toMatch(/^✅ Language: English\./);
    expect(await chat.asAdmin('/setwarranty abc')).toBe(
      'Wrong format. Correct usage:\n/setwarranty product_id days (0–3650; 0 = no warranty)\nExample: /setwarranty 101 14',
    );
    expect(await chat.asAdmin(`/setwarranty ${productId} 30`)).toBe(
      `🛡️ Warranty of product ${productId}: 30 days from payment.`,
    );

    await user.send('/start');
    await user.waitForText('Hello Liam');
    await user.tapKeyboard('ACCOUNT');
    const account = (await user.waitForText('Your account')) as Shown;
    await user.pressOn(account.id, 'Transaction history');
    const history = (await user.waitFor(
      (m: Msg) => m.id === account.id && textOf(m).includes('Transaction history'),
    )) as Shown;
    expect(buttons(history)[0]).toEqual([`🛡️ Warranty Claim ${invoiceId}`]);
    await user.pressOn(history.id, `🛡️ Warranty Claim ${invoiceId}`);
    await user.waitForText('Describe the problem');
    await user.send('The account logs me out');
    const sent = await user.waitForText(/Warranty claim warranty-\S+ sent to the admin/);
    const claimId = /(warranty-\S+)/.exec(textOf(sent))![1];

    const notice = (await chat.admin.waitFor(
      (m: Msg) => textOf(m).includes('New warranty claim') && textOf(m).includes(claimId),
    )) as Shown;
    expect(textOf(notice)).toContain('📝 Problem: The account logs me out');
    expect(buttons(notice)).toEqual([['🔁 Replace', '💸 Refund', '❌ Reject']]);
    let after = chat.admin.messages().at(-1)!.id;
    await chat.admin.pressOn(notice.id, '❌ Reject');
    await chat.admin.waitForText(`Type the reason for rejecting claim ${claimId}`, { after });
    after = chat.admin.messages().at(-1)!.id;
    await chat.admin.send('Shared account');
    await chat.admin.waitForText(`Claim ${claimId}: ❌ reject recorded`, { after });
    const told = await user.waitForText(`Warranty claim ${claimId} (order ${invoiceId}) was rejected.`);
    expect(textOf(told)).toContain('Reason: Shared account');

    const shown = user
      .messages()
      .filter((m: Msg) => m.from === 'bot')
      .map(textOf)
      .join('\n');
    expect(shown).not.toMatch(/Klaim|Pesanan|Jelaskan|ditolak/);
    expect(await chat.asAdmin('/lang id')).toMatch(/^✅ Bahasa: Indonesia\./);
  });
});
