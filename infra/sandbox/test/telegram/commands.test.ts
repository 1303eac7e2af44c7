import type { Telegram } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { newBot, newUserId, refusal, startSandbox } from './harness';

let sandbox: TelegramSandbox;
let telegram: Telegram;
beforeAll(async () => {
  sandbox = await startSandbox();
  telegram = newBot(sandbox).bot.telegram;
});
afterAll(() => sandbox.close());

const publicCommands = [
  { command: 'start', description: 'Mulai' },
  { command: 'katalog', description: 'Lihat produk' },
];
const adminCommands = [...publicCommands, { command: 'stok', description: 'Kelola stok' }];

describe('setMyCommands', () => {
  it('keeps one list per scope, and each user sees the most specific one', async () => {
    const admin = sandbox.user({ id: newUserId(), firstName: 'Admin' });
    const buyer = sandbox.user({ id: newUserId(), firstName: 'Pembeli' });
    await telegram.setMyCommands([{ command: 'help', description: 'Bantuan' }]);
    await telegram.setMyCommands(publicCommands, { scope: { type: 'all_private_chats' } });
    await telegram.setMyCommands(adminCommands, { scope: { type: 'chat', chat_id: admin.chatId } });

    expect(sandbox.commands({ chatId: admin.chatId })).toEqual(adminCommands);
    expect(sandbox.commands('all_private_chats')).toEqual(publicCommands);
    expect(await telegram.getMyCommands({ scope: { type: 'chat', chat_id: admin.chatId } })).toEqual(
      adminCommands,
    );
    expect(await telegram.getMyCommands()).toEqual([{ command: 'help', description: 'Bantuan' }]);
    expect(admin.commands()).toEqual(adminCommands);
    expect(buyer.commands()).toEqual(publicCommands);

    await telegram.deleteMyCommands({ scope: { type: 'chat', chat_id: admin.chatId } });
    expect(sandbox.commands({ chatId: admin.chatId })).toBeUndefined();
    expect(admin.commands()).toEqual(publicCommands);
  });

  it('refuses a chat scope for a chat Telegram does not know, and malformed commands', async () => {
    const unknown = await refusal(
      telegram.setMyCommands(adminCommands, { scope: { type: 'chat', chat_id: 12345 } }),
    );
    expect([unknown.code, unknown.description]).toEqual([400, 'Bad Request: chat not found']);
    const bad = await refusal(telegram.setMyCommands([{ command: 'Beli Sekarang', description: 'x' }]));
    expect(bad.code).toBe(400);
  });
});
