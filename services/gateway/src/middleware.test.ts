import type { ShopContext } from './context';
import { letSlowUpdatesGoOn } from './middleware';

const ctx = {} as ShopContext;
const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('letSlowUpdatesGoOn: one update never holds the polling loop past its budget', () => {
  it('returns when the handler finishes, within the budget', async () => {
    const onError = jest.fn(async () => undefined);
    let done = false;
    await letSlowUpdatesGoOn(onError, 1_000)(ctx, async () => {
      await after(20);
      done = true;
    });
    expect(done).toBe(true);
    expect(onError).not.toHaveBeenCalled();
  });

  it('lets the loop go on after the budget while the handler keeps running', async () => {
    const onError = jest.fn(async () => undefined);
    let done = false;
    const started = Date.now();
    await letSlowUpdatesGoOn(onError, 50)(ctx, async () => {
      await after(300);
      done = true;
    });
    expect(Date.now() - started).toBeLessThan(250);
    expect(done).toBe(false);
    await after(400);
    expect(done).toBe(true);
  });

  it('gives an error thrown within the budget to telegraf (bot.catch), not to onError', async () => {
    const onError = jest.fn(async () => undefined);
    await expect(
      letSlowUpdatesGoOn(onError, 1_000)(ctx, async () => {
        throw new Error('quick failure');
      }),
    ).rejects.toThrow('quick failure');
    expect(onError).not.toHaveBeenCalled();
  });

  it('gives an error thrown after the budget to the error boundary with its update', async () => {
    const onError = jest.fn(async () => undefined);
    await letSlowUpdatesGoOn(onError, 50)(ctx, async () => {
      await after(150);
      throw new Error('late failure');
    });
    await after(300);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'late failure' }), ctx);
  });
});
