import { ADMIN_ID } from '../../../services/orders/test/stack';
import { newUserId, startBotSystem } from './bot-system';

type Msg = { id: number; from: 'bot' | 'user'; text?: string; caption?: string };
const textOf = (m: Msg) => m.text ?? m.caption ?? '';

describe('admin user commands through the bot', () => {
  let sys: Awaited<ReturnType<typeof startBotSystem>>;
  let admin: ReturnType<Awaited<ReturnType<typeof startBotSystem>>['telegram']['user']>;
  let customer: typeof admin;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
    admin = sys.telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
    customer = sys.telegram.user({ id: newUserId(), firstName: 'Pelanggan' });
    await sys.stack.orders.upsertUser({ id: customer.id, name: 'Pelanggan' });
  });
  afterAll(() => sys?.close());

  async function asAdmin(text: string): Promise<string> {
    const after = admin.messages().at(-1)?.id ?? 0;
    await admin.send(text);
    return textOf(await admin.waitFor(() => true, { after }));
  }

  async function customerGetsNothing(text: string): Promise<void> {
    const after = customer.messages().at(-1)?.id ?? 0;
    await customer.send(text);
    await customer.send('/help');
    await customer.waitForText('Bantuan QuickCart');
    const answers = customer.messages().filter((m: Msg) => m.from === 'bot' && m.id > after);
    expect(answers.map(textOf).every((t: string) => t.includes('Bantuan QuickCart'))).toBe(true);
  }

  const audit = (targetId: number) =>
    sys.stack.auditSql<{ actor: string; action: string }>(
      "SELECT actor, action FROM audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id",
      [String(targetId)],
    );

  it('/transfer credits once, audited; /info shows it; malformed and non-admin change nothing', async () => {
    expect(await asAdmin(`/transfer ${customer.id}|50.000`)).toBe(
      `✅ Saldo user ${customer.id} ditambah Rp50.000 (sekarang Rp50.000).`,
    );
    expect((await sys.stack.orders.user(customer.id)).balance).toBe(50_000);
    expect(await audit(customer.id)).toContainEqual({ actor: String(ADMIN_ID), action: 'balance.transfer' });
    expect(await asAdmin(`/info ${customer.id}`)).toContain('Saldo: Rp50.000');
    expect(await asAdmin(`/transfer ${customer.id}|banyak`)).toMatch(/^Format salah/);
    expect(await asAdmin('/transfer 424242|1000')).toBe('❌ User tidak ditemukan.');
    await customerGetsNothing(`/transfer ${customer.id}|1000000`);
    expect((await sys.stack.orders.user(customer.id)).balance).toBe(50_000);
  });

  it('/pm reaches the user', async () => {
    expect(await asAdmin(`/pm ${customer.id}|Promo baru!`)).toBe('✅ Pesan terkirim.');
    await customer.waitForText('Pesan dari admin:\nPromo baru!');
    expect(await asAdmin('/pm abc')).toMatch(/^Format salah/);
  });

  it('/ban and /unban, audited; a banned user gets only the blocked message', async () => {
    const target = sys.telegram.user({ id: newUserId(), firstName: 'Nakal' });
    await sys.stack.orders.upsertUser({ id: target.id, name: 'Nakal' });
    expect(await asAdmin(`/ban ${target.id}`)).toBe(`🚫 User ${target.id} diblokir.`);
    await target.send('/start');
    await target.waitForText('Akun Anda diblokir');
    expect(await asAdmin(`/unban ${target.id}`)).toBe(`✅ User ${target.id} tidak diblokir lagi.`);
    expect((await audit(target.id)).map((e) => e.action)).toEqual(['user.ban', 'user.unban']);
    await customerGetsNothing(`/ban ${target.id}`);
    expect((await sys.stack.orders.user(target.id)).isBanned).toBe(false);
  });

  it('/addreseller tells the user and the admins; /rmress, /addadmin, /rmadmin change roles', async () => {
    const target = sys.telegram.user({ id: newUserId(), firstName: 'Rere' });
    await sys.stack.orders.upsertUser({ id: target.id, name: 'Rere' });
    const after = admin.messages().at(-1)?.id ?? 0;
    await admin.send(`/addreseller ${target.id}`);
    await target.waitForText('🎊 Selamat! Status Anda telah menjadi reseller.');
    await admin.waitFor((m: Msg) => textOf(m) === '⭐️ User Rere telah diupgrade menjadi reseller.', {
      after,
    });
    expect((await sys.stack.orders.user(target.id)).role).toBe('reseller');
    expect(await asAdmin(`/rmress ${target.id}`)).toBe(`✅ User ${target.id} bukan reseller lagi.`);
    expect(await asAdmin(`/addadmin ${target.id}`)).toBe(`✅ User ${target.id} sekarang admin.`);
    expect((await sys.stack.orders.user(target.id)).isAdmin).toBe(true);
    expect(await asAdmin(`/rmadmin ${target.id}`)).toBe(`✅ User ${target.id} bukan admin lagi.`);
    expect(await asAdmin(`/rmadmin ${ADMIN_ID}`)).toBe('❌ Admin bawaan (ADMIN_IDS) tidak bisa diturunkan.');
    expect(await asAdmin('/addadmin')).toMatch(/^Format salah/);
    await customerGetsNothing(`/addadmin ${customer.id}`);
    expect((await sys.stack.orders.user(customer.id)).isAdmin).toBe(false);
  });
});
