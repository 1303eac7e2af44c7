import { smallestFreeId } from './product-ids';

describe('smallestFreeId', () => {
  it('starts at 1 in an empty shop', () => {
    expect(smallestFreeId([])).toBe(1);
  });

  it('fills the first gap', () => {
    expect(smallestFreeId([1, 2, 4, 5])).toBe(3);
    expect(smallestFreeId([2, 3])).toBe(1);
  });

  it('takes the next id after a full run, whatever the order', () => {
    expect(smallestFreeId([3, 1, 2])).toBe(4);
  });

  it('ignores ids far away (admin-chosen ids like 101)', () => {
    expect(smallestFreeId([101, 1, 205])).toBe(2);
  });
});
