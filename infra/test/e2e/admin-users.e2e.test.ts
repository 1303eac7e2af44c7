import { ADMIN_ID } from '../../../services/orders/test/stack';
import { useAdminChat, textOf, type Msg } from './admin-chat';
import { newUserId } from './bot-system';

describe('admin user commands through the bot', () => {
  const chat = useAdminChat();
  const { asAdmin, confirmAsAdmin, customerGetsNothing } = chat;

  const audit = (targetId: number) =>
    chat.sys.stack.auditSql<{ actor: string; action: string }>(
      "SELECT actor, action FROM audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id",
      [String(targetId)],
    );

  it('/transfer credits once, audited; /info shows it; malformed and non-admin change nothing', async () => {
    expect(await confirmAsAdmin(`/transfer ${chat.customer.id}|50.000`)).toBe(
      `✅ Saldo user ${chat.customer.id} ditambah Rp50.000 (sekarang Rp50.000).`,
    );
    expect((await chat.sys.stack.orders.user(chat.customer.id)).balance).toBe(50_000);
    expect(await audit(chat.customer.id)).toContainEqual({
      actor: String(ADMIN_ID),
      action: 'balance.transfer',
    });
    expect(await asAdmin(`/info ${chat.customer.id}`)).toContain('Saldo: Rp50.000');
    expect(await asAdmin(`/transfer ${chat.customer.id}|banyak`)).toMatch(/^Format salah/);
    expect(await asAdmin('/transfer 424242|1000')).toBe('❌ User tidak ditemukan.');
    await customerGetsNothing(`/transfer ${chat.customer.id}|1000000`);
    expect((await chat.sys.stack.orders.user(chat.customer.id)).balance).toBe(50_000);
  });

  it('/pm reaches the user', async () => {
    expect(await asAdmin(`/pm ${chat.customer.id}|Promo baru!`)).toBe('✅ Pesan terkirim.');
    await chat.customer.waitForText('Pesan dari admin:\nPromo baru!');
    expect(await audit(chat.customer.id)).toContainEqual({ actor: String(ADMIN_ID), action: 'user.pm' });
    expect(await asAdmin('/pm abc')).toMatch(/^Format salah/);
  });

  it('/ban and /unban, audited; a banned user gets only the blocked message', async () => {
    const target = chat.sys.telegram.user({ id: newUserId(), firstName: 'Nakal' });
    await chat.sys.stack.orders.upsertUser({ id: target.id, name: 'Nakal' });
    // The gateway keeps the record of someone who just wrote (user-records.ts): a ban forgets it at once.
    await target.send('/help');
    await target.waitForText('/refund INV');
    expect(await asAdmin(`/ban ${target.id}`)).toBe(`🚫 User ${target.id} diblokir.`);
    await target.send('/start');
    await target.waitForText('Akun Anda diblokir');
    expect(await asAdmin(`/unban ${target.id}`)).toBe(`✅ User ${target.id} tidak diblokir lagi.`);
    expect((await audit(target.id)).map((e) => e.action)).toEqual(['user.ban', 'user.unban']);
    await customerGetsNothing(`/ban ${target.id}`);
    expect((await chat.sys.stack.orders.user(target.id)).isBanned).toBe(false);
  });

  it('/addreseller tells the user and the admins; /rmress, /addadmin, /rmadmin change roles', async () => {
    const target = chat.sys.telegram.user({ id: newUserId(), firstName: 'Rere' });
    await chat.sys.stack.orders.upsertUser({ id: target.id, name: 'Rere' });
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.send(`/addreseller ${target.id}`);
    await target.waitForText('🎊 Selamat! Status Anda telah menjadi reseller.');
    await chat.admin.waitFor((m: Msg) => textOf(m) === '⭐️ User Rere telah diupgrade menjadi reseller.', {
      after,
    });
    expect((await chat.sys.stack.orders.user(target.id)).role).toBe('reseller');
    expect(await asAdmin(`/rmress ${target.id}`)).toBe(`✅ User ${target.id} bukan reseller lagi.`);
    expect(await asAdmin(`/addadmin ${target.id}`)).toBe(`✅ User ${target.id} sekarang admin.`);
    expect((await chat.sys.stack.orders.user(target.id)).isAdmin).toBe(true);
    expect(await asAdmin(`/rmadmin ${target.id}`)).toBe(`✅ User ${target.id} bukan admin lagi.`);
    expect(await asAdmin(`/rmadmin ${ADMIN_ID}`)).toBe('❌ Admin bawaan (ADMIN_IDS) tidak bisa diturunkan.');
    expect(await asAdmin('/addadmin')).toMatch(/^Format salah/);
    await customerGetsNothing(`/addadmin ${chat.customer.id}`);
    expect((await chat.sys.stack.orders.user(chat.customer.id)).isAdmin).toBe(false);
  });

  it('/addreseller on an admin is refused and changes nothing: demoting is /rmadmin’s job', async () => {
    const target = chat.sys.telegram.user({ id: newUserId(), firstName: 'Adi' });
    await chat.sys.stack.orders.upsertUser({ id: target.id, name: 'Adi' });
    expect(await asAdmin(`/addadmin ${target.id}`)).toBe(`✅ User ${target.id} sekarang admin.`);
    expect(await asAdmin(`/addreseller ${target.id}`)).toBe(
      `❌ User ${target.id} adalah admin; hapus dulu dengan /rmadmin.`,
    );
    expect(await chat.sys.stack.orders.user(target.id)).toMatchObject({ role: 'admin', isAdmin: true });
    expect(target.botMessages()).toEqual([]); // no "Selamat", no upgrade notice
    expect((await audit(target.id)).map((e) => e.action)).toEqual(['user.role']); // the promotion only
  });

  it('/rmress on an admin is refused and changes nothing; /rmadmin on a reseller likewise', async () => {
    const admin = chat.sys.telegram.user({ id: newUserId(), firstName: 'Budi' });
    await chat.sys.stack.orders.upsertUser({ id: admin.id, name: 'Budi' });
    await asAdmin(`/addadmin ${admin.id}`);
    expect(await asAdmin(`/rmress ${admin.id}`)).toBe(
      '❌ User ini bukan reseller (perannya sekarang: admin). Tidak ada yang diubah.',
    );
    expect(await chat.sys.stack.orders.user(admin.id)).toMatchObject({ role: 'admin', isAdmin: true });
    const reseller = chat.sys.telegram.user({ id: newUserId(), firstName: 'Citra' });
    await chat.sys.stack.orders.upsertUser({ id: reseller.id, name: 'Citra' });
    await asAdmin(`/addreseller ${reseller.id}`);
    expect(await asAdmin(`/rmadmin ${reseller.id}`)).toBe(
      '❌ User ini bukan admin (perannya sekarang: reseller). Tidak ada yang diubah.',
    );
    expect(await chat.sys.stack.orders.user(reseller.id)).toMatchObject({ role: 'reseller' });
  });
});
