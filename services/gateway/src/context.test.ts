import { requestKey, updateName, type ShopContext } from './context';

const BOT = 7_000_001;
const update = (u: { updateId: number; date?: number; callbackQueryId?: string; botId?: number }) =>
  ({
    botInfo: { id: u.botId ?? BOT },
    shop: { user: { id: 61_234 } },
    update: { update_id: u.updateId },
    msg: u.callbackQueryId ? undefined : { date: u.date ?? 1_765_000_000 },
    callbackQuery: u.callbackQueryId ? { id: u.callbackQueryId } : undefined,
  }) as unknown as ShopContext;

describe('the request key of an update', () => {
  it('is the same each time Telegram hands the same update over', () => {
    const press = { updateId: 100_000_007, callbackQueryId: '4411' };
    expect(requestKey(update(press), 'checkout')).toBe(requestKey(update(press), 'checkout'));
    const typed = { updateId: 100_000_008, date: 1_765_000_123 };
    expect(requestKey(update(typed), 'deposit')).toBe(requestKey(update(typed), 'deposit'));
  });

  it('names the bot and the person; a press by its callback query, a message by update id and date', () => {
    expect(requestKey(update({ updateId: 7, callbackQueryId: '4411' }), 'checkout')).toBe(
      `checkout:${BOT}:61234:cb4411`,
    );
    expect(requestKey(update({ updateId: 7, date: 1_765_000_000 }), 'deposit')).toBe(
      `deposit:${BOT}:61234:7@1765000000`,
    );
  });

  it('is new for an update id Telegram hands out again after a week without updates (a later date)', () => {
    const before = update({ updateId: 5_001, date: 1_765_000_000 });
    const afterRestart = update({ updateId: 5_001, date: 1_765_000_000 + 8 * 86_400 });
    expect(requestKey(afterRestart, 'deposit')).not.toBe(requestKey(before, 'deposit'));
    expect(updateName(afterRestart)).not.toBe(updateName(before));
  });

  it('tells apart two bots, two presses and two kinds of request', () => {
    const first = update({ updateId: 7, callbackQueryId: '4411' });
    expect(requestKey(first, 'checkout')).not.toBe(
      requestKey(update({ updateId: 8, callbackQueryId: '4412' }), 'checkout'),
    );
    expect(requestKey(first, 'checkout')).not.toBe(requestKey(first, 'deposit'));
    expect(requestKey(update({ updateId: 9, botId: 1 }), 'deposit')).not.toBe(
      requestKey(update({ updateId: 9, botId: 2 }), 'deposit'),
    );
  });
});
