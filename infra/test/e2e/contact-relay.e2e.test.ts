import type { ChatMessage, TelegramTestUser } from '@quickcart/sandbox';
import { textOf, useAdminChat } from './admin-chat';
import { newUserId } from './bot-system';

/**
 * KIRIM PESAN (docs/features.md §2.11): a reply to a forwarded message reaches the customer only when who
 * replies is an admin, or the chat a whitelisted group, when they reply; not because they once were.
 */
describe('replies to a customer’s message through the bot', () => {
  const chat = useAdminChat();
  const { asAdmin } = chat;

  /** A new customer who sends `text` with KIRIM PESAN. */
  async function customerWrites(text: string): Promise<TelegramTestUser> {
    const customer = chat.sys.telegram.user({ id: newUserId(), firstName: 'Tanya' });
    await chat.sys.stack.orders.upsertUser({ id: customer.id, name: 'Tanya' });
    await customer.send('/start');
    await customer.waitForText('Halo Tanya');
    await customer.tapKeyboard('KIRIM PESAN');
    await customer.waitForText('Silakan kirim pesan untuk admin');
    await customer.send(text);
    await customer.waitForText('sudah diteruskan ke admin');
    return customer;
  }

  /** `who` does `act`, then /help: once that is answered, `act` was handled (one update at a time each). */
  async function handled(who: TelegramTestUser, act: () => Promise<unknown>): Promise<ChatMessage[]> {
    const after = who.messages().at(-1)?.id ?? 0;
    await act();
    await who.send('/help');
    await who.waitForText('Bantuan QuickCart', { after });
    return who.botMessages().filter((m) => m.id > after);
  }

  it('relays nothing from an admin demoted after the forward; a current admin’s reply arrives', async () => {
    const former = chat.sys.telegram.user({ id: newUserId(), firstName: 'Mantan' });
    await chat.sys.stack.orders.upsertUser({ id: former.id, name: 'Mantan' });
    expect(await asAdmin(`/addadmin ${former.id}`)).toBe(`✅ User ${former.id} sekarang admin.`);
    const customer = await customerWrites('Voucher saya tidak berlaku');
    const toFormer = await former.waitForText('Voucher saya tidak berlaku');
    const toAdmin = await chat.admin.waitForText('Voucher saya tidak berlaku');
    expect(await asAdmin(`/rmadmin ${former.id}`)).toBe(`✅ User ${former.id} bukan admin lagi.`);

    const answers = await handled(former, () => former.reply(toFormer.id, 'Jawaban dari mantan admin'));
    expect(answers.map(textOf)).toEqual([expect.stringContaining('Bantuan QuickCart')]); // silence

    expect(await asAdminReplying(toAdmin, 'Jawaban dari admin')).toBe('✅ Balasan terkirim.');
    await customer.waitForText('Balasan admin:\nJawaban dari admin');
    expect(
      customer
        .messages()
        .map(textOf)
        .filter((t) => t.includes('mantan')),
    ).toEqual([]);
  });

  it('forwards to every admin it can reach when one of them cannot be reached', async () => {
    const second = chat.sys.telegram.user({ id: newUserId(), firstName: 'Kedua' });
    await chat.sys.stack.orders.upsertUser({ id: second.id, name: 'Kedua' });
    await asAdmin(`/addadmin ${second.id}`);
    chat.sys.telegram.block(chat.admin.id); // the first recipient now answers 403
    try {
      await customerWrites('Pesanan saya belum sampai');
      await second.waitForText('Pesanan saya belum sampai');
    } finally {
      chat.sys.telegram.unblock(chat.admin.id);
      await asAdmin(`/rmadmin ${second.id}`);
    }
  });

  it('relays nothing from a group removed with /rm after the forward; a listed group’s reply arrives', async () => {
    const removedId = -1_000_000_000_000 - newUserId();
    const listedId = -1_000_000_000_000 - newUserId();
    const removed = chat.sys.telegram.createChat(removedId, 'supergroup', 'Grup Lama');
    const listed = chat.sys.telegram.createChat(listedId, 'supergroup', 'Grup Toko');
    for (const id of [removedId, listedId])
      expect(await asAdmin(`/whitelist ${id}`)).toBe(`✅ Grup ${id} akan menerima notifikasi pesanan.`);
    const customer = await customerWrites('Pesanan saya belum masuk');
    const inRemoved = await removed.waitForText('Pesanan saya belum masuk');
    const inListed = await listed.waitForText('Pesanan saya belum masuk');
    expect(await asAdmin(`/rm ${removedId}`)).toBe(`✅ Grup ${removedId} dihapus dari notifikasi.`);

    const member = chat.sys.telegram.user({ id: newUserId(), firstName: 'Anggota' });
    await handled(member, async () => replyInGroup(member, inRemoved, 'Jawaban dari grup lama'));
    expect(removed.botMessages().filter((m) => m.id > inRemoved.id)).toEqual([]);

    replyInGroup(member, inListed, 'Jawaban dari grup toko');
    await customer.waitForText('Balasan admin:\nJawaban dari grup toko');
    await listed.waitForText('✅ Balasan terkirim.', { after: inListed.id });
    expect(
      customer
        .messages()
        .map(textOf)
        .filter((t) => t.includes('grup lama')),
    ).toEqual([]);
  });

  /** The bootstrap admin replies to a message and gets the bot's next answer. */
  async function asAdminReplying(to: ChatMessage, text: string): Promise<string> {
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.reply(to.id, text);
    return textOf(await chat.admin.waitFor(() => true, { after }));
  }

  /**
   * A group member's reply to the bot's message there. The sandbox's users write only in their private
   * chats, so the update is made here as Telegram sends it.
   */
  function replyInGroup(member: TelegramTestUser, to: ChatMessage, text: string): void {
    const { bot } = chat.sys.telegram;
    const group = chat.sys.telegram.chats().find((c) => c.id === to.chatId)!;
    const where = { id: group.id, type: group.type, title: group.title ?? '' };
    chat.sys.telegram.feed.push({
      message: {
        message_id: to.id + 1_000,
        from: { id: member.id, is_bot: false, first_name: member.profile.firstName },
        chat: where,
        date: Math.floor(Date.now() / 1000),
        text,
        reply_to_message: {
          message_id: to.id,
          from: { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username },
          chat: where,
          date: to.date,
          text: to.text,
        },
      },
    });
  }
});
