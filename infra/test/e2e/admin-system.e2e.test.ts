import { PNG } from 'pngjs';
import { ADMIN_ID } from '../../../services/orders/test/stack';
import { useAdminChat, textOf, type Msg } from './admin-chat';
import { newUserId } from './bot-system';
import { eventually } from './eventually';

describe('admin system commands through the bot', () => {
  const chat = useAdminChat();
  const { asAdmin, confirmAsAdmin, customerGetsNothing } = chat;
  const sql = <T>(text: string, params?: unknown[]) => chat.sys.stack.sql<T>(text, params);
  const auditOf = (action: string) =>
    chat.sys.stack.auditSql<{ actor: string; target_id: string; before: unknown; after: unknown }>(
      'SELECT actor, target_id, before, after FROM audit_log WHERE action = $1 ORDER BY id',
      [action],
    );

  it('/editbalance sets the balance with one ledger entry for the difference, audited', async () => {
    const id = chat.customer.id;
    expect(await confirmAsAdmin(`/editbalance ${id}|150.000`)).toBe(
      `✅ Saldo user ${id} diubah dari Rp0 menjadi Rp150.000.`,
    );
    expect(await confirmAsAdmin(`/editbalance ${id}|150000`)).toBe(
      `ℹ️ Saldo user ${id} sudah Rp150.000; tidak ada yang diubah.`,
    );
    expect(await confirmAsAdmin(`/editbalance ${id}|100000`)).toBe(
      `✅ Saldo user ${id} diubah dari Rp150.000 menjadi Rp100.000.`,
    );
    expect((await chat.sys.stack.orders.user(id)).balance).toBe(100_000);
    const entries = await sql<{ delta: number; reason: string }>(
      'SELECT delta::int, reason FROM orders.ledger WHERE user_id = $1 ORDER BY id',
      [id],
    );
    expect(entries).toEqual([
      { delta: 150_000, reason: 'edit' },
      { delta: -50_000, reason: 'edit' },
    ]);
    expect(await auditOf('balance.edit')).toEqual([
      {
        actor: String(ADMIN_ID),
        target_id: String(id),
        before: { balance: 0 },
        after: { balance: 150_000, delta: 150_000 },
      },
      {
        actor: String(ADMIN_ID),
        target_id: String(id),
        before: { balance: 150_000 },
        after: { balance: 100_000, delta: -50_000 },
      },
    ]);
    expect(await asAdmin(`/editbalance ${id}|-5`)).toMatch(
      /^Format salah[\s\S]*\/editbalance user_id\|saldo_baru/,
    );
    expect(await asAdmin(`/editbalance ${id}`)).toMatch(/^Format salah/);
    expect(await asAdmin('/editbalance 424242|1000')).toBe('❌ User tidak ditemukan.');
    await customerGetsNothing(`/editbalance ${id}|9999999`);
    expect((await chat.sys.stack.orders.user(id)).balance).toBe(100_000);
  });

  it('/whitelist and /rm: the group hears admin notifications while listed; both audited', async () => {
    const groupId = -1_000_000_000_000 - newUserId();
    const group = chat.sys.telegram.createChat(groupId, 'supergroup', 'Admin Toko');
    expect(await asAdmin(`/whitelist ${groupId}`)).toBe(
      `✅ Grup ${groupId} akan menerima notifikasi pesanan.`,
    );
    expect(await asAdmin(`/whitelist ${groupId}`)).toBe(`ℹ️ Grup ${groupId} sudah terdaftar.`);
    expect(await sql('SELECT chat_id::text FROM orders.notification_groups')).toEqual([
      { chat_id: String(groupId) },
    ]);
    // Admin notifications reach the group: a reseller upgrade is announced to every recipient.
    const reseller = newUserId();
    await chat.sys.stack.orders.upsertUser({ id: reseller, name: 'Rina' });
    await asAdmin(`/addreseller ${reseller}`);
    await group.waitForText('⭐️ User Rina telah diupgrade menjadi reseller.');

    expect(await asAdmin(`/rm ${groupId}`)).toBe(`✅ Grup ${groupId} dihapus dari notifikasi.`);
    expect(await asAdmin(`/rm ${groupId}`)).toBe(`ℹ️ Grup ${groupId} tidak terdaftar.`);
    expect(await sql('SELECT chat_id FROM orders.notification_groups')).toEqual([]);
    expect((await auditOf('group.whitelist')).map((e) => [e.target_id, e.after])).toEqual([
      [String(groupId), { listed: true }],
    ]);
    expect((await auditOf('group.remove')).map((e) => [e.target_id, e.after])).toEqual([
      [String(groupId), { listed: false }],
    ]);
    expect(await asAdmin('/whitelist grup-saya')).toMatch(
      /^Format salah[\s\S]*Contoh: \/whitelist -100123456789/,
    );
    expect(await asAdmin('/rm')).toMatch(/^Format salah/);
    await customerGetsNothing(`/whitelist ${groupId}`);
    expect(await sql('SELECT chat_id FROM orders.notification_groups')).toEqual([]);
  });

  it('/setformula shows and sets one refund parameter within its limits, audited', async () => {
    expect(await asAdmin('/setformula')).toBe(
      [
        '📐 Formula refund:',
        'base_days=30',
        'm_lt7=0.8',
        'm_ge7=0.7',
        'm_claims_1_2=0.6',
        'm_claims_3=0.5',
        'm_claims_gt3=0.4',
      ].join('\n'),
    );
    expect(await asAdmin('/setformula m_lt7=0.75')).toContain(
      '✅ m_lt7 diubah. Formula refund sekarang:\nbase_days=30\nm_lt7=0.75',
    );
    expect(
      await sql("SELECT value->>'m_lt7' AS v FROM orders.settings WHERE key = 'refund_formula'"),
    ).toEqual([{ v: '0.75' }]);
    expect(await auditOf('settings.refund_formula')).toEqual([
      { actor: String(ADMIN_ID), target_id: 'm_lt7', before: { m_lt7: 0.8 }, after: { m_lt7: 0.75 } },
    ]);
    expect(await asAdmin('/setformula m_lt7=2')).toMatch(
      /^Format salah[\s\S]*m_lt7 must be a number from 0 to 1/,
    );
    expect(await asAdmin('/setformula diskon=5')).toMatch(/^Format salah/);
    expect(await asAdmin('/setformula base_days=7.5')).toMatch(/^Format salah/);
    await customerGetsNothing('/setformula m_lt7=0.1');
    expect((await chat.sys.stack.orders.refundFormula()).m_lt7).toBe(0.75);
  });

  it('/version names the version and build; /audit reads the log by user, by reference and latest N', async () => {
    const version = await asAdmin('/version');
    expect(version).toMatch(/^🤖 QuickCart v\d+\.\d+\.\d+\nBuild: \S+\nNode\.js v20/);
    expect(await asAdmin('/version sekarang')).toMatch(/^Format salah/);
    await customerGetsNothing('/version');

    const target = newUserId();
    await chat.sys.stack.orders.upsertUser({ id: target, name: 'Dina' });
    await confirmAsAdmin(`/transfer ${target}|25000`);
    await asAdmin(`/ban ${target}`);
    const byUser = await asAdmin(`/audit user ${target}`);
    expect(byUser).toMatch(new RegExp(`^📜 2 catatan audit terbaru untuk user ${target}:`));
    expect(byUser).toMatch(
      new RegExp(
        `· ${ADMIN_ID} · user\\.ban · user:${target} · \\{"isBanned":false\\} → \\{"isBanned":true\\}`,
      ),
    );
    expect(byUser).toMatch(
      new RegExp(
        `· balance\\.transfer · user:${target} · \\{"balance":0\\} → \\{"delta":25000,"balance":25000\\} · ref transfer:${ADMIN_ID}:[A-Za-z0-9_-]{22}`,
      ),
    );
    const reference = /ref (transfer:\S+)/.exec(byUser)![1];
    expect(await asAdmin(`/audit invoice ${reference}`)).toMatch(
      /^📜 1 catatan audit terbaru untuk transfer:[\s\S]*balance\.transfer/,
    );
    const latest = await asAdmin('/audit 3');
    expect(latest.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(3);
    expect(await asAdmin('/audit kemarin')).toMatch(/^Format salah[\s\S]*\/audit user user_id/);
    expect(await asAdmin('/audit 500')).toMatch(/^Format salah/);
    await customerGetsNothing(`/audit user ${target}`);
  });

  it('the command menu: customers see the public commands, each admin also the admin ones', async () => {
    const names = (u: { commands: () => { command: string }[] }) => u.commands().map((c) => c.command);
    expect(names(chat.customer)).toEqual(['start', 'stock', 'order', 'refund', 'help']);
    // An admin who had no chat with the bot when it started gets their menu on /start.
    await chat.admin.send('/start');
    // The menu changes just after the command's reply.
    const hasAll = (wanted: string[]) => (menu: string[]) => wanted.every((c) => menu.includes(c));
    await eventually(() => names(chat.admin), hasAll(['add', 'broadcast', 'audit']), "the admin's menu");
    expect(names(chat.admin)).toEqual(expect.arrayContaining(['add', 'broadcast', 'audit']));
    const promoted = chat.sys.telegram.user({ id: newUserId(), firstName: 'Calon' });
    await chat.sys.stack.orders.upsertUser({ id: promoted.id, name: 'Calon' });
    await asAdmin(`/addadmin ${promoted.id}`);
    await eventually(() => names(promoted), hasAll(['broadcast', 'editbalance', 'setformula']), 'the menu');
    expect(names(promoted)).toEqual(expect.arrayContaining(['broadcast', 'editbalance', 'setformula']));
    await asAdmin(`/rmadmin ${promoted.id}`);
    await eventually(
      () => names(promoted),
      (menu) => !menu.includes('broadcast'),
      'the public menu',
    );
    expect(names(promoted)).toEqual(['start', 'stock', 'order', 'refund', 'help']);
  });

  it('/broadcast: text, photo with caption, and a reply; everyone not blocked gets it once; audited', async () => {
    const listeners = [1, 2, 3].map((i) =>
      chat.sys.telegram.user({ id: newUserId(), firstName: `Pendengar${i}` }),
    );
    for (const u of listeners)
      await chat.sys.stack.orders.upsertUser({ id: u.id, name: u.profile.firstName });
    const gone = chat.sys.telegram.user({ id: newUserId(), firstName: 'Pergi' });
    await chat.sys.stack.orders.upsertUser({ id: gone.id, name: 'Pergi' });
    chat.sys.telegram.block(gone.id);

    // The admin is a recipient too: under Telegram's per-chat limit the broadcast itself may reach
    // their chat before the bot's answer to the command.
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.send('/broadcast Promo <akhir> tahun!');
    const started = textOf(await chat.admin.waitForText(/^📣 Broadcast dimulai/, { after }));
    expect(started).toMatch(/^📣 Broadcast dimulai\.\n🆔 \S+\n👥 Penerima: \d+ user/);
    const report = await chat.admin.waitForText(/Broadcast selesai/);
    for (const u of listeners) {
      await u.waitForText('Promo <akhir> tahun!');
    }
    // Failed: the one who blocked the bot, and users orders knows who never opened a chat here.
    expect(textOf(report)).toMatch(/Terkirim: \d+\n❌ Gagal: \d+ \(memblokir bot: 1\)/);
    expect((await chat.sys.stack.orders.user(gone.id)).blockedBot).toBe(true);

    // The progress button on the start message shows the final counts.
    const startMessage = chat.admin.messages().find((m: Msg) => textOf(m) === started)!;
    await chat.admin.pressOn(startMessage.id, '🔄 Progres');
    await chat.admin.waitFor((m: Msg) => m.id === startMessage.id && /Status: ✅ selesai/.test(textOf(m)));

    const png = PNG.sync.write(new PNG({ width: 8, height: 8 }));
    await chat.admin.sendPhoto(png, '/broadcast Foto promo');
    for (const u of listeners)
      await u.waitFor((m: Msg) => m.from === 'bot' && !!m.photo && m.caption === 'Foto promo');

    const original = await chat.admin.send('Pesan yang diteruskan ke semua');
    await chat.admin.reply(original.id, '/broadcast');
    for (const u of listeners) await u.waitForText('Pesan yang diteruskan ke semua');

    // Every broadcast has reported back and its start message has arrived (Telegram's per-chat limit
    // may put a start message after its own report), so nothing more is on its way to anyone.
    await eventually(
      () => chat.admin.messages().filter((m: Msg) => /Broadcast selesai/.test(textOf(m))).length,
      (reports) => reports >= 3,
      'three broadcast reports',
    );
    // The bot's answer to the plain text the admin then replied to (a search that finds nothing) may
    // come late too.
    await chat.admin.waitFor((m: Msg) => m.id > original.id && /Tidak ada produk yang cocok/.test(textOf(m)));
    // (the first start message was edited into its progress above: two still read "dimulai")
    await eventually(
      () => chat.admin.messages().filter((m: Msg) => /^📣 Broadcast dimulai/.test(textOf(m))).length,
      (starts) => starts >= 2,
      'the start messages of the photo and the reply broadcasts',
    );
    for (const u of listeners) {
      const got = u
        .messages()
        .filter((m: Msg) => m.from === 'bot')
        .map(textOf);
      expect(got.filter((t) => t === 'Promo <akhir> tahun!')).toHaveLength(1);
      expect(got.filter((t) => t === 'Foto promo')).toHaveLength(1);
    }
    const rows = await sql<{ status: string; blocked: number; all: boolean }>(
      `SELECT status, blocked, sent + failed = total AS all FROM orders.broadcasts
        WHERE message->>'text' = 'Promo <akhir> tahun!'`,
    );
    expect(rows).toEqual([{ status: 'done', blocked: 1, all: true }]);
    expect((await auditOf('broadcast.start')).length).toBeGreaterThanOrEqual(3);
    expect(await asAdmin('/broadcast')).toMatch(/^Format salah[\s\S]*Contoh: \/broadcast Promo/);

    const before = (await sql('SELECT id FROM orders.broadcasts')).length;
    await customerGetsNothing('/broadcast Gratis untuk semua!');
    await chat.customer.sendPhoto(png, '/broadcast Foto palsu');
    await customerGetsNothing('/broadcast');
    expect(await sql('SELECT id FROM orders.broadcasts')).toHaveLength(before);
  });
});
