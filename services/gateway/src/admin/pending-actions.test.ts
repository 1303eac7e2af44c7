import { memoryKv } from '../session/kv';
import { CONFIRM_WINDOW_MS, PendingActions } from './pending-actions';

const ADMIN = 7001;

function store() {
  let now = 1_700_000_000_000;
  const actions = new PendingActions(memoryKv(), () => now);
  return { actions, later: (ms: number) => (now += ms) };
}

describe('a money command waiting for "✅ Jalankan"', () => {
  it('lets one of two presses run it; the other is told it runs, then shown the result', async () => {
    const { actions } = store();
    await actions.propose('p1', { command: 'transfer', args: { id: 5, amount: 1000 }, adminId: ADMIN });
    const first = await actions.claim('p1', ADMIN);
    expect(first).toMatchObject({
      outcome: 'run',
      action: { command: 'transfer', args: { id: 5, amount: 1000 } },
    });
    expect(await actions.claim('p1', ADMIN)).toEqual({ outcome: 'running' });
    await actions.finish('p1', { text: 'selesai' });
    expect(await actions.claim('p1', ADMIN)).toEqual({ outcome: 'done', result: { text: 'selesai' } });
  });

  it('expires ten minutes after the preview', async () => {
    const { actions, later } = store();
    await actions.propose('p2', { command: 'giveaway', args: {}, adminId: ADMIN });
    later(CONFIRM_WINDOW_MS + 1);
    expect(await actions.claim('p2', ADMIN)).toEqual({ outcome: 'expired' });
  });

  it('keeps the first preview when the same update proposes it again', async () => {
    const { actions, later } = store();
    const first = await actions.propose('p3', { command: 'transfer', args: { amount: 1 }, adminId: ADMIN });
    later(1000);
    const again = await actions.propose('p3', { command: 'transfer', args: { amount: 1 }, adminId: ADMIN });
    expect(again.createdAt).toBe(first.createdAt);
  });

  it('is not run after "❌ Batal", and a run one is not cancelled', async () => {
    const { actions } = store();
    await actions.propose('p4', { command: 'disc', args: {}, adminId: ADMIN });
    expect(await actions.cancel('p4', ADMIN)).toEqual({ outcome: 'cancelled' });
    expect(await actions.claim('p4', ADMIN)).toEqual({ outcome: 'cancelled' });
    await actions.propose('p5', { command: 'disc', args: {}, adminId: ADMIN });
    await actions.claim('p5', ADMIN);
    await actions.finish('p5', { text: 'ok' });
    expect(await actions.cancel('p5', ADMIN)).toEqual({ outcome: 'done', result: { text: 'ok' } });
  });

  it('can be pressed again after a failure, or after a press that vanished for a minute', async () => {
    const { actions, later } = store();
    await actions.propose('p6', { command: 'transfer', args: {}, adminId: ADMIN });
    await actions.claim('p6', ADMIN);
    await actions.release('p6');
    expect((await actions.claim('p6', ADMIN)).outcome).toBe('run');
    later(61_000);
    expect((await actions.claim('p6', ADMIN)).outcome).toBe('run');
  });

  it('is nobody else’s to press, and unknown when never proposed', async () => {
    const { actions } = store();
    await actions.propose('p7', { command: 'transfer', args: {}, adminId: ADMIN });
    expect(await actions.claim('p7', ADMIN + 1)).toEqual({ outcome: 'unknown' });
    expect(await actions.claim('nope', ADMIN)).toEqual({ outcome: 'unknown' });
  });
});
