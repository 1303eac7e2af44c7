import type { TelegramSandbox } from '../../src';
import { callApi, newUserId, startSandbox, TOKEN } from './harness';

let sandbox: TelegramSandbox;
beforeEach(async () => {
  sandbox = await startSandbox(TOKEN);
});
afterEach(() => sandbox.close());

const ids = (body: { result: { update_id: number }[] }) => body.result.map((u) => u.update_id);

describe('getUpdates', () => {
  it('keeps updates until an offset above them confirms them', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Ani' });
    for (const text of ['satu', 'dua', 'tiga']) await user.send(text);

    const all = await callApi(sandbox, 'getUpdates');
    expect(all.body.result.map((u: any) => u.message.text)).toEqual(['satu', 'dua', 'tiga']);
    const [first, second, third] = ids(all.body) as [number, number, number];
    expect([second - first, third - second]).toEqual([1, 1]);
    expect(all.body.result[0].message).toMatchObject({
      chat: { id: user.chatId, type: 'private', first_name: 'Ani' },
      from: { id: user.chatId, is_bot: false, first_name: 'Ani' },
      date: expect.any(Number),
    });

    expect(ids((await callApi(sandbox, 'getUpdates')).body)).toEqual([first, second, third]);
    expect(ids((await callApi(sandbox, 'getUpdates', { offset: second, limit: 1 })).body)).toEqual([second]);
    // The first one is confirmed now: offset 0 no longer returns it.
    expect(ids((await callApi(sandbox, 'getUpdates')).body)).toEqual([second, third]);
    expect(ids((await callApi(sandbox, 'getUpdates', { offset: third + 1 })).body)).toEqual([]);
    expect(ids((await callApi(sandbox, 'getUpdates')).body)).toEqual([]);
  });

  it('holds a long poll until an update arrives', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Beni' });
    const started = Date.now();
    const poll = callApi(sandbox, 'getUpdates', { timeout: 20 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await user.send('/start');
    const { body } = await poll;
    expect(body.result).toHaveLength(1);
    expect(body.result[0].message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers an empty list when the timeout passes', async () => {
    const started = Date.now();
    const { body } = await callApi(sandbox, 'getUpdates', { timeout: 1 });
    expect(body).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('refuses a second poller the way Telegram does', async () => {
    const first = callApi(sandbox, 'getUpdates', { timeout: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = callApi(sandbox, 'getUpdates', { timeout: 1 });
    expect((await first).body).toMatchObject({
      ok: false,
      error_code: 409,
      description: expect.stringContaining('terminated by other getUpdates'),
    });
    expect((await first).status).toBe(409);
    expect((await second).body.ok).toBe(true);
  });

  it('speaks the Bot API wire format: token, method names, urlencoded bodies', async () => {
    expect(await callApi(sandbox, 'getMe', {}, '1:wrong')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect((await callApi(sandbox, 'noSuchMethod')).status).toBe(404);
    expect((await callApi(sandbox, 'GETME')).body.result).toMatchObject({ id: 7100200300, is_bot: true });

    const user = sandbox.user({ id: newUserId(), firstName: 'Cici' });
    const res = await fetch(`${sandbox.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(user.chatId),
        text: 'lewat form',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] }),
      }),
    });
    expect(res.status).toBe(200);
    expect(user.inlineButtons(user.lastBotMessage()!)).toEqual([['OK']]);
    const viaGet = await fetch(
      `${sandbox.url}/bot${TOKEN}/sendMessage?chat_id=${user.chatId}&text=lewat+query`,
    );
    expect(((await viaGet.json()) as any).result.text).toBe('lewat query');

    const broken = await fetch(`${sandbox.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"chat_id": ',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ ok: false, error_code: 400 });
  });
});
