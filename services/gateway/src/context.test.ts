import { requestKey, type ShopContext } from './context';

const update = (u: { updateId: number; callbackQueryId?: string }) =>
  ({
    shop: { user: { id: 61_234 } },
    update: { update_id: u.updateId },
    callbackQuery: u.callbackQueryId ? { id: u.callbackQueryId } : undefined,
  }) as unknown as ShopContext;

describe('the request key of an update', () => {
  it('is the same each time Telegram hands the same update over', () => {
    const press = { updateId: 100_000_007, callbackQueryId: '4411' };
    expect(requestKey(update(press), 'checkout')).toBe(requestKey(update(press), 'checkout'));
  });

  it('keys a button press by its callback query, anything else by the update id', () => {
    expect(requestKey(update({ updateId: 7, callbackQueryId: '4411' }), 'checkout')).toBe(
      'checkout:61234:cb4411',
    );
    // Unchanged for the admin commands (/transfer, /editbalance) that were keyed so before.
    expect(requestKey(update({ updateId: 7 }), 'transfer')).toBe('transfer:61234:7');
  });

  it('tells apart two presses and two kinds of request', () => {
    const first = update({ updateId: 7, callbackQueryId: '4411' });
    expect(requestKey(first, 'checkout')).not.toBe(
      requestKey(update({ updateId: 8, callbackQueryId: '4412' }), 'checkout'),
    );
    expect(requestKey(first, 'checkout')).not.toBe(requestKey(first, 'deposit'));
  });
});
