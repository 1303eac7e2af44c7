import { ADMIN_ID } from '../../../services/orders/test/stack';
import { useAdminChat } from './admin-chat';
import { newUserId, payInSandbox } from './bot-system';
import { eventually } from './eventually';

type Entry = {
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reference: string | null;
};

describe('the permanent record: every balance change, order status change and ban', () => {
  // A 3-second payment window, so a payment after expiry (a late payment) happens within the test.
  const chat = useAdminChat({ paymentTimeout: '3s', pollInterval: '1s' });

  it('an auditor rebuilds the balance from the audit log alone; each action leaves the entry described', async () => {
    const { orders, catalog, sandbox } = chat.sys.stack;
    const userId = newUserId();
    chat.sys.telegram.user({ id: userId, firstName: 'Audit' }); // their chat, where QR codes and goods go
    await orders.upsertUser({ id: userId, name: 'Audit' });
    const balance = async () => (await orders.user(userId)).balance;

    // Deposit by QRIS: +50.000.
    const deposit = await orders.deposit({ userId, amount: 50_000 });
    await eventually(
      () => sandbox.transaction(deposit.invoiceId),
      (tx) => tx !== undefined,
      'the deposit invoice',
    );
    await payInSandbox(chat.sys, deposit.invoiceId);
    await eventually(balance, (b) => b === 50_000, 'the deposit credited');

    // A purchase from the balance: −20.000.
    const { id: productId } = await catalog.addProduct({ name: 'Netflix', price: 20_000 });
    await catalog.addStock(productId, ['n1', 'n2', 'n3']);
    const bought = await orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' });
    await eventually(balance, (b) => b === 30_000, 'the balance purchase');

    // A QRIS purchase paid after it expired (Pakasir's cancel failed): the amount comes back to the balance.
    sandbox.faults.set({ failCancel: 1 });
    const late = await orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    await eventually(
      () => orders.order(late.invoiceId),
      (o) => o.status === 'expired',
      'the expiry',
    );
    await payInSandbox(chat.sys, late.invoiceId);
    await eventually(balance, (b) => b === 50_000, 'the late payment refunded');

    // Admin money and access commands through the bot.
    // Admin notifications of the payments above may arrive meanwhile: wait for each command's own reply.
    // Money commands wait for "✅ Jalankan" on their preview.
    const command = async (text: string, reply: RegExp, confirm = false) => {
      const after = chat.admin.messages().at(-1)?.id ?? 0;
      await chat.admin.send(text);
      if (confirm) {
        const preview = await chat.admin.waitForText('Jalankan?', { after });
        await chat.admin.pressOn(preview.id, '✅ Jalankan');
      }
      await chat.admin.waitForText(reply, { after });
    };
    await command(`/transfer ${userId}|5000`, /^✅ Saldo user \d+ ditambah/, true);
    await command(`/editbalance ${userId}|42000`, /^✅ Saldo user \d+ diubah/, true);
    await command(`/ban ${userId}`, /^🚫 User \d+ diblokir/);
    expect(await balance()).toBe(42_000);

    const log = await chat.sys.stack.auditSql<Entry>(
      `SELECT actor, action, target_type, target_id, before, after, reference FROM audit_log
        WHERE (target_type = 'user' AND target_id = $1) OR reference = ANY($2) ORDER BY id`,
      [String(userId), [deposit.invoiceId, bought.invoiceId, late.invoiceId]],
    );

    // Balance entries: a chain from 0 to the balance, each with its reason, actor and reference.
    const money = log.filter((e) => e.action.startsWith('balance.'));
    expect(money.map((e) => [e.action, e.actor, e.after!.delta])).toEqual([
      ['balance.deposit', 'system', 50_000],
      ['balance.purchase', 'system', -20_000],
      ['balance.late_payment', 'system', 20_000],
      ['balance.transfer', String(ADMIN_ID), 5_000],
      ['balance.edit', String(ADMIN_ID), -13_000],
    ]);
    let rebuilt = 0;
    for (const e of money) {
      expect(e.target_type).toBe('user');
      expect(e.before).toEqual({ balance: rebuilt });
      rebuilt += e.after!.delta as number;
      expect(e.after!.balance).toBe(rebuilt);
    }
    expect(rebuilt).toBe(await balance());
    expect(money.slice(0, 3).map((e) => e.reference)).toEqual([
      deposit.invoiceId,
      bought.invoiceId,
      late.invoiceId,
    ]);
    // Keyed by the preview the admin confirmed (docs/architecture.md §7.2).
    expect(money[3].reference).toMatch(new RegExp(`^transfer:${ADMIN_ID}:[A-Za-z0-9_-]{22}$`));
    expect(money[4].reference).toMatch(new RegExp(`^editbalance:${ADMIN_ID}:[A-Za-z0-9_-]{22}$`));

    // Order status changes: one entry per change, before and after.
    const statuses = (invoiceId: string) =>
      log
        .filter((e) => e.action === 'order.status' && e.target_id === invoiceId)
        .map((e) => [e.before?.status ?? null, e.after!.status]);
    expect(statuses(deposit.invoiceId)).toEqual([
      [null, 'pending'],
      ['pending', 'paid'],
    ]);
    expect(statuses(bought.invoiceId)).toEqual([
      [null, 'pending'],
      ['pending', 'paid'],
    ]);
    expect(statuses(late.invoiceId)).toEqual([
      [null, 'pending'],
      ['pending', 'expired'],
    ]);

    // The ban: who, and the flag before and after.
    expect(log.filter((e) => e.action === 'user.ban')).toEqual([
      {
        actor: String(ADMIN_ID),
        action: 'user.ban',
        target_type: 'user',
        target_id: String(userId),
        before: { isBanned: false },
        after: { isBanned: true },
        reference: null,
      },
    ]);
  });

  it('the audit table refuses UPDATE, DELETE and TRUNCATE', async () => {
    const sql = chat.sys.stack.auditSql;
    await expect(sql("UPDATE audit_log SET actor = 'forged'")).rejects.toThrow(/append-only/);
    await expect(sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(sql('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n).toBeGreaterThan(0);
  });
});
