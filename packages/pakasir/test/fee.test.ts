import { qrisFee } from '../src';

describe('qrisFee', () => {
  it('is 0.7% rounded down plus Rp310, as in the spec: Rp30.000 pays Rp30.520', () => {
    expect(qrisFee(30_000)).toBe(520);
    expect(30_000 + qrisFee(30_000)).toBe(30_520);
  });

  it('is the fixed part alone for tiny amounts', () => {
    expect(qrisFee(0)).toBe(310);
    expect(qrisFee(1)).toBe(310);
    expect(qrisFee(142)).toBe(310); // 0.994 rounds down
    expect(qrisFee(143)).toBe(311);
  });

  it('stays exact for large amounts', () => {
    expect(qrisFee(10_000_000)).toBe(70_310);
    // amount × 70 passes 2^53 here, where floats stop counting every rupiah.
    expect(qrisFee(Number.MAX_SAFE_INTEGER)).toBe(63_050_394_783_186 + 310);
  });

  it('takes another rate', () => {
    expect(qrisFee(100_000, { percent: 1.5, fixed: 0 })).toBe(1_500);
    expect(qrisFee(100_000, { percent: 0, fixed: 1_000 })).toBe(1_000);
  });

  it('refuses fractions of a rupiah and rates finer than a basis point', () => {
    expect(() => qrisFee(10.5)).toThrow(RangeError);
    expect(() => qrisFee(-1)).toThrow(RangeError);
    expect(() => qrisFee(1_000, { percent: 0.705 })).toThrow(RangeError);
  });
});
