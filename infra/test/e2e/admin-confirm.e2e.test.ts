import type { ChatMessage } from '@quickcart/sandbox';
import { ADMIN_ID } from '../../../services/orders/test/stack';
import { textOf, useAdminChat } from './admin-chat';
import { newUserId } from './bot-system';

/**
 * Admin money commands are confirmed (docs/features.md §3.2): a typed /transfer, /editbalance, /giveaway or
 * /disc only shows what it will do; "✅ Jalankan" does it, once, whoever presses how often.
 */
describe('admin money commands wait for "✅ Jalankan"', () => {
  const chat = useAdminChat();

  async function newCustomer(): Promise<number> {
    const id = newUserId();
    await chat.sys.stack.orders.upsertUser({ id, name: 'Sasaran' });
    return id;
  }
  const balance = async (id: number) => (await chat.sys.stack.orders.user(id)).balance;
  const ledger = (id: number) =>
    chat.sys.stack.sql<{ delta: number; reason: string }>(
      'SELECT delta::int, reason FROM orders.ledger WHERE user_id = $1 ORDER BY id',
      [id],
    );

  /** The admin types `text` and gets the bot's next message: the preview. */
  async function preview(text: string): Promise<ChatMessage> {
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.send(text);
    return chat.admin.waitFor(() => true, { after });
  }
  /** The preview's message once the bot has edited it into something else. */
  const editedFrom = (shown: ChatMessage) =>
    chat.admin.waitFor((m) => m.id === shown.id && textOf(m) !== textOf(shown));

  it('a retyped /transfer is a second preview, never a second transfer', async () => {
    const id = await newCustomer();
    const first = await preview(`/transfer ${id}|10.000`);
    const second = await preview(`/transfer ${id}|10.000`);
    for (const shown of [first, second]) {
      expect(textOf(shown)).toContain(`User ${id}`);
      expect(textOf(shown)).toContain('Rp0 → Rp10.000');
      expect(chat.admin.inlineButtons(shown)).toEqual([['✅ Jalankan', '❌ Batal']]);
    }
    expect(await balance(id)).toBe(0);
    await chat.admin.pressOn(second.id, '✅ Jalankan');
    expect(textOf(await editedFrom(second))).toBe(
      `✅ Saldo user ${id} ditambah Rp10.000 (sekarang Rp10.000).`,
    );
    expect(await balance(id)).toBe(10_000);
    expect(await ledger(id)).toEqual([{ delta: 10_000, reason: 'transfer' }]);
  });

  it('"✅ Jalankan" pressed twice transfers once, audited once', async () => {
    const id = await newCustomer();
    const shown = await preview(`/transfer ${id}|25000`);
    // Both presses reach the bot before it has answered either (a double tap).
    const presses = [
      await chat.admin.pressOn(shown.id, '✅ Jalankan'),
      await chat.admin.pressOn(shown.id, '✅ Jalankan'),
    ];
    expect(textOf(await editedFrom(shown))).toBe(
      `✅ Saldo user ${id} ditambah Rp25.000 (sekarang Rp25.000).`,
    );
    await Promise.all(presses.map((q) => chat.admin.waitForCallbackAnswer(q)));
    expect(await balance(id)).toBe(25_000);
    expect(await ledger(id)).toEqual([{ delta: 25_000, reason: 'transfer' }]);
    const audit = await chat.sys.stack.auditSql<{ actor: string }>(
      "SELECT actor FROM audit_log WHERE action = 'balance.transfer' AND target_id = $1",
      [String(id)],
    );
    expect(audit).toEqual([{ actor: String(ADMIN_ID) }]);
  });

  it('"❌ Batal" changes nothing and says so', async () => {
    const id = await newCustomer();
    const shown = await preview(`/transfer ${id}|5000`);
    await chat.admin.pressOn(shown.id, '❌ Batal');
    const cancelled = await editedFrom(shown);
    expect(textOf(cancelled)).toMatch(/dibatalkan/);
    expect(cancelled.inlineKeyboard ?? []).toEqual([]);
    expect(await balance(id)).toBe(0);
    expect(await ledger(id)).toEqual([]);
  });

  it('/editbalance shows the balance before and after; runs once confirmed', async () => {
    const id = await newCustomer();
    const shown = await preview(`/editbalance ${id}|70.000`);
    expect(textOf(shown)).toContain('Rp0 → Rp70.000');
    expect(await balance(id)).toBe(0);
    await chat.admin.pressOn(shown.id, '✅ Jalankan');
    expect(textOf(await editedFrom(shown))).toBe(`✅ Saldo user ${id} diubah dari Rp0 menjadi Rp70.000.`);
    expect(await balance(id)).toBe(70_000);
  });

  it('/giveaway makes its codes only when confirmed', async () => {
    const codes = () =>
      chat.sys.stack.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders.vouchers WHERE amount = 7777');
    const shown = await preview('/giveaway 7.777|2');
    expect(textOf(shown)).toContain('2 voucher');
    expect(await codes()).toEqual([{ n: 0 }]);
    await chat.admin.pressOn(shown.id, '✅ Jalankan');
    expect(textOf(await editedFrom(shown))).toMatch(/^🎁 2 voucher Rp7\.777 dibuat/);
    expect(await codes()).toEqual([{ n: 2 }]);
  });

  it('/disc shows the price before and after; sets it only when confirmed', async () => {
    await chat.sys.stack.catalog.as(String(ADMIN_ID)).addProduct({
      id: 811,
      name: 'Diskonan',
      category: null,
      price: 40_000,
      description: null,
    });
    const shown = await preview('/disc 811|25%');
    expect(textOf(shown)).toContain('Rp40.000 → Rp30.000');
    expect((await chat.sys.stack.catalog.product(811)).price).toBe(40_000);
    await chat.admin.pressOn(shown.id, '✅ Jalankan');
    expect(textOf(await editedFrom(shown))).toBe('✅ Diskon produk 811: 25% (harga Rp30.000).');
    expect((await chat.sys.stack.catalog.product(811)).price).toBe(30_000);
  });
});
