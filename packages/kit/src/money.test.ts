import { formatRupiah, parseRupiah } from './money';

describe('rupiah as typed', () => {
  it('reads every way a person writes an amount', () => {
    for (const typed of ['50000', '50.000', 'Rp50.000', 'Rp 50.000', 'rp50000', ' 50.000 ', 'RP 50000'])
      expect(parseRupiah(typed, 9)).toBe(50_000);
  });

  it('refuses what is not a whole amount', () => {
    for (const typed of ['', 'Rp', '50k', '-5000', '50,000', '1.5e4', 'abc'])
      expect(parseRupiah(typed, 9)).toBeUndefined();
  });

  it("keeps the caller's bound on digits", () => {
    expect(parseRupiah('1.000.000.000', 9)).toBeUndefined();
    expect(parseRupiah('1.000.000.000', 12)).toBe(1_000_000_000);
    expect(parseRupiah('9999999999999', 12)).toBeUndefined();
  });

  it('reads back what formatRupiah writes', () => {
    expect(parseRupiah(formatRupiah(30_520), 9)).toBe(30_520);
  });
});
