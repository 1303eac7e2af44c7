import { parseQrisFeeTiers, qrisFee } from '../src';

describe('qrisFee, by Pakasir’s tiered model', () => {
  it('is 0.7% plus Rp310 up to Rp105.000, as in the spec: Rp30.000 pays Rp30.520', () => {
    expect(qrisFee(30_000)).toBe(520);
    expect(30_000 + qrisFee(30_000)).toBe(30_520);
  });

  it('changes band just above Rp105.000: 1% and no fixed part', () => {
    expect(qrisFee(105_000)).toBe(1_045); // 735 + 310
    expect(qrisFee(105_001)).toBe(1_050); // 1050.01
    expect(qrisFee(200_000)).toBe(2_000); // the Rp201.710 quote became Rp202.000 at Pakasir
  });

  it('rounds half up, never down', () => {
    expect(qrisFee(71)).toBe(310); // 0.497
    expect(qrisFee(72)).toBe(311); // 0.504
    expect(qrisFee(500)).toBe(314); // 3.5 rounds up; floor said 313
    expect(qrisFee(1_500)).toBe(321); // 10.5
    expect(qrisFee(105_049)).toBe(1_050); // 1050.49
    expect(qrisFee(105_050)).toBe(1_051); // 1050.5
    expect(qrisFee(0)).toBe(310);
  });

  it('stays exact for large amounts', () => {
    expect(qrisFee(10_000_000)).toBe(100_000);
    // amount × 100 passes 2^53 here, where floats stop counting every rupiah.
    expect(qrisFee(Number.MAX_SAFE_INTEGER)).toBe(90_071_992_547_410);
  });

  it('refuses fractions of a rupiah', () => {
    expect(() => qrisFee(10.5)).toThrow(RangeError);
    expect(() => qrisFee(-1)).toThrow(RangeError);
  });
});

describe('parseQrisFeeTiers (the QRIS_FEE_TIERS setting)', () => {
  it('reads the default model', () => {
    expect(parseQrisFeeTiers('0.7%+310,105000:1%')).toEqual([
      { above: 0, percent: 0.7, fixed: 310 },
      { above: 105_000, percent: 1, fixed: 0 },
    ]);
  });

  it('takes other bands, used by qrisFee', () => {
    const flat = parseQrisFeeTiers('0%+1000');
    expect(qrisFee(100_000, flat)).toBe(1_000);
    const three = parseQrisFeeTiers(' 1% + 100 , 1000 : 0.5% , 10000:0.25%+5 ');
    expect(qrisFee(1_000, three)).toBe(110);
    expect(qrisFee(1_001, three)).toBe(5);
    expect(qrisFee(10_001, three)).toBe(30);
  });

  it('refuses what it cannot read', () => {
    for (const bad of [
      '',
      '0.7',
      '0:1%',
      '1%,2%',
      '1%,500:1%,400:1%',
      '0.705%',
      '1%+1.5',
      '-1%',
      '1%;105000:1%',
    ])
      expect(() => parseQrisFeeTiers(bad)).toThrow(RangeError);
  });
});
