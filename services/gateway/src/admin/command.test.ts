import {
  discountArg,
  formatError,
  positiveInt,
  rupiahArg,
  signedInt,
  splitArgs,
  telegramId,
} from './command';
import { productCommands } from './product-commands';

const parse = (name: string, raw: string) => {
  const c = productCommands.find((x) => x.name === name)!;
  return c.parse(splitArgs(raw), raw);
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
    expect(formatError({ format: '/del id', example: '/del 101' })).toBe(
      'Format salah. Contoh penggunaan yang benar:\n/del id\nContoh: /del 101',
    );
  });
});
