import { shortLived } from './short-lived';

describe('shortLived', () => {
  it('loads once for everyone within the time, again after it, and never keeps a failure', async () => {
    let loads = 0;
    let fail = false;
    const value = shortLived(async () => {
      loads++;
      if (fail) throw new Error('down');
      return loads;
    }, 50);
    expect(await Promise.all([value(), value(), value()])).toEqual([1, 1, 1]);
    await new Promise((r) => setTimeout(r, 60));
    fail = true;
    await expect(value()).rejects.toThrow('down');
    fail = false;
    expect(await value()).toBe(3);
    expect(loads).toBe(3);
  });
});
