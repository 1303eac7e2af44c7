import { adminText } from '../copy/admin';
import { discountArg, positiveInt, rupiahArg, signedInt, splitArgs, telegramId } from './command';
import type { ShopContext } from '../context';
import { ADMIN_COMMANDS } from './register';

const parse = (name: string, raw: string) => {
  const c = ADMIN_COMMANDS.find((x) => x.name === name)!;
  // Only /broadcast reads the message itself (a photo, a reply); text arguments need no context.
  return c.parse(splitArgs(raw), raw, {} as ShopContext);
};

describe('admin command arguments', () => {
  it('splits on | and trims', () => {
    expect(splitArgs(' 101 | Netflix |Streaming|50000| - ')).toEqual([
      '101',
      'Netflix',
      'Streaming',
      '50000',
      '-',
    ]);
    expect(splitArgs('   ')).toEqual([]);
  });

  it('reads numbers, rupiah and discounts strictly', () => {
    expect([positiveInt('5'), positiveInt('0'), positiveInt('-1'), positiveInt('1.5')]).toEqual([
      5,
      undefined,
      undefined,
      undefined,
    ]);
    expect([signedInt('-3'), signedInt('x')]).toEqual([-3, undefined]);
    expect([telegramId('6123456789'), telegramId('0'), telegramId('1e9')]).toEqual([
      6_123_456_789,
      undefined,
      undefined,
    ]);
    expect([rupiahArg('50.000'), rupiahArg('Rp50000'), rupiahArg('50k')]).toEqual([
      50_000,
      50_000,
      undefined,
    ]);
    // Twelve digits at most: a price or a balance, never an id pasted by mistake.
    expect([rupiahArg('999.999.999.999'), rupiahArg('1.000.000.000.000')]).toEqual([
      999_999_999_999,
      undefined,
    ]);
    expect([discountArg('10%'), discountArg('5000'), discountArg('150%'), discountArg('abc')]).toEqual([
      { type: 'percent', value: 10 },
      { type: 'nominal', value: 5000 },
      undefined,
      undefined,
    ]);
  });

  it('parses /add with "-" for the defaults, and refuses a bad price', () => {
    expect(parse('add', '-|Netflix|-|50000|-')).toEqual({
      id: null,
      name: 'Netflix',
      category: null,
      price: 50_000,
      description: null,
    });
    expect(parse('add', '101|Netflix|Streaming|50000|Akun premium.')).toMatchObject({
      id: 101,
      category: 'Streaming',
    });
    expect(parse('add', '101|Netflix|Streaming|gratis|-')).toBeUndefined();
    expect(parse('add', '')).toBeUndefined();
  });

  it('keeps every line of /addstock after the first |', () => {
    expect(parse('addstock', '101|a:1\n\nb:2')).toEqual({ id: 101, lines: ['a:1', '', 'b:2'] });
    expect(parse('addstock', '101|')).toBeUndefined();
    expect(parse('addstock', 'abc|a:1')).toBeUndefined();
  });

  it('answers a bad format with the format and an example', () => {
    expect(adminText.formatError({ format: '/del id', example: '/del 101' })).toBe(
      'Format salah. Contoh penggunaan yang benar:\n/del id\nContoh: /del 101',
    );
  });

  it('reads the system commands: balances, group ids, formula keys, audit filters', () => {
    expect(parse('editbalance', '1234567890|150.000')).toEqual({ id: 1234567890, balance: 150_000 });
    expect(parse('editbalance', '1234567890|0')).toEqual({ id: 1234567890, balance: 0 });
    expect(parse('editbalance', '1234567890|-1')).toBeUndefined();
    expect(parse('whitelist', '-1001234567890')).toEqual({ chatId: -1001234567890 });
    expect(parse('whitelist', '0')).toBeUndefined();
    expect(parse('rm', 'grup')).toBeUndefined();
    expect(parse('setformula', '')).toEqual({ show: true });
    expect(parse('setformula', 'm_ge7 = 0.65')).toEqual({ show: false, key: 'm_ge7', value: 0.65 });
    expect(parse('setformula', 'unknown=1')).toBeUndefined();
    expect(parse('audit', '')).toEqual({ limit: 10 });
    expect(parse('audit', '25')).toEqual({ limit: 25 });
    expect(parse('audit', '51')).toBeUndefined();
    expect(parse('audit', 'user 1234567890')).toEqual({ user: '1234567890', limit: 20 });
    expect(parse('audit', 'invoice INV251125ABCDEF')).toEqual({ reference: 'INV251125ABCDEF', limit: 50 });
    expect(parse('audit', 'invoice')).toBeUndefined();
    expect(parse('broadcast', 'Halo semua')).toEqual({ text: 'Halo semua' });
    expect(parse('giveaway', '10.000|10')).toEqual({ amount: 10_000, count: 10 });
    expect(parse('giveaway', '10000|101')).toBeUndefined();
    expect(parse('giveaway', '0|5')).toBeUndefined();
  });

  it('reads /setwarranty as a product id and whole days, spaces or | between', () => {
    expect(parse('setwarranty', '101 14')).toEqual({ productId: 101, days: 14 });
    expect(parse('setwarranty', '101|0')).toEqual({ productId: 101, days: 0 });
    expect(parse('setwarranty', '101 3650')).toEqual({ productId: 101, days: 3650 });
    for (const bad of ['', '101', '101 3651', '101 -1', '101 7.5', 'abc 7', '101 7 hari'])
      expect([bad, parse('setwarranty', bad)]).toEqual([bad, undefined]);
  });
});
