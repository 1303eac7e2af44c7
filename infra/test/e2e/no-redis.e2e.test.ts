import { internalAuthHeader } from '@quickcart/kit';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';

/**
 * `npm start` on a machine with no Redis (README "Two commands"): the gateway keeps its sessions,
 * counters and update inbox in memory. A customer is onboarded across several updates (the session
 * holds the step), and `/ready` names only what the gateway has: no Redis check claiming "up".
 */
describe('the gateway without Redis (sessions and inbox in memory)', () => {
  let sys: BotSystem;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' }, { REDIS_URL: '' });
  });
  afterAll(() => sys?.close());

  it('onboards a customer step by step and reports ready without claiming a Redis', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Sari' });
    await user.send('/start');
    await user.waitForText('Siapa nama Anda');
    await user.press('Lewati');
    await user.waitForText('Nomor WhatsApp');
    await user.send('081234567890');
    await user.waitForText('Alamat email');
    await user.send('/skip');
    await user.waitForText('Halo Anonymous');
    expect((await sys.stack.orders.user(user.id)).whatsapp).toBe('081234567890');

    const ready = await fetch(`${sys.gatewayUrl}/ready`, {
      headers: internalAuthHeader(sys.stack.tokens.metrics),
    });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { telegram: 'up' } });
  });
});
