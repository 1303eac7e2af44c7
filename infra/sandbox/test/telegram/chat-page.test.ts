import { toBuffer } from 'qrcode';
import { Input, Markup, type Telegraf } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { launch, newBot, newUserId, startSandbox, stop } from './harness';

let sandbox: TelegramSandbox;
let bot: Telegraf;

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ bot } = newBot(sandbox));
  bot.start((ctx) =>
    ctx.reply(
      '<b>Pilih</b> &lt;menu&gt; <a href="https://toko.test/a?b=1&amp;c=2">docs</a> <a href="javascript:alert(1)">x</a>',
      { parse_mode: 'HTML', ...Markup.inlineKeyboard([[Markup.button.callback('Bayar <QRIS>', 'pay')]]) },
    ),
  );
  bot.action('pay', async (ctx) => {
    await ctx.answerCbQuery('Sebentar…');
    await ctx.replyWithPhoto(Input.fromBuffer(await toBuffer('qris', { type: 'png' }), 'qris.png'), {
      caption: '<i>Scan</i>',
      parse_mode: 'HTML',
    });
  });
  bot.hears('Saldo', async (ctx) => {
    await ctx.replyWithDocument(Input.fromBuffer(Buffer.from('akun:rahasia\n'), 'pesanan.txt'));
    await ctx.replyWithSticker('CAACAgIAAxkBAAIDbWkLZHuqPRCqCqmL9flozT9YJdWO');
    await ctx.reply('Saldo Rp 0', Markup.keyboard([['Saldo', 'Katalog']]));
  });
  launch(bot);
});
afterAll(async () => {
  stop(bot);
  await sandbox.close();
});

const get = async (path: string): Promise<{ status: number; type: string; body: any }> => {
  const res = await fetch(sandbox.url + path);
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: type.includes('json') ? await res.json() : await res.text() };
};
const post = (path: string, body: object) =>
  fetch(sandbox.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    redirect: 'manual',
  });

describe('the chat page', () => {
  it('opens the chat of a user it has never seen, as the README address does', async () => {
    const id = newUserId();
    const page = await get(`/chat/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<!doctype html>');
    expect((await get('/_sandbox/chats')).body).toContainEqual(
      expect.objectContaining({ id, type: 'private', firstName: `User ${id}` }),
    );
    expect((await get('/')).body).toContain(`href="/chat/${id}"`);
  });

  it('makes a new customer in one click from the chat list', async () => {
    const list = await get('/');
    expect(list.body).toContain('action="/chat/new"');
    const created = await fetch(`${sandbox.url}/chat/new`, { method: 'POST', redirect: 'manual' });
    expect(created.status).toBe(303);
    const id = Number(/^\/chat\/(\d+)$/.exec(created.headers.get('location') ?? '')?.[1]);
    expect((await get('/_sandbox/chats')).body).toContainEqual(expect.objectContaining({ id }));
    const again = await fetch(`${sandbox.url}/chat/new`, { method: 'POST', redirect: 'manual' });
    expect(again.headers.get('location')).not.toBe(created.headers.get('location'));
  });

  it('shows the chat as JSON the page renders: safe HTML, files, buttons, keyboard, menu', async () => {
    const id = newUserId();
    await get(`/chat/${id}`);
    await bot.telegram.setMyCommands([{ command: 'start', description: 'Mulai' }], {
      scope: { type: 'chat', chat_id: id },
    });
    expect((await post(`/chat/${id}/send`, { text: '/start' })).status).toBe(200);
    const user = sandbox.user({ id, firstName: `User ${id}` });
    const menu = await user.waitForText('Pilih');

    let state = (await get(`/chat/${id}/state`)).body;
    const shown = state.messages.find((m: { id: number }) => m.id === menu.id);
    expect(shown.html).toBe(
      '<b>Pilih</b> &lt;menu&gt; <a href="https://toko.test/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">docs</a> <a>x</a>',
    );
    expect(shown.inlineKeyboard).toEqual([[{ text: 'Bayar <QRIS>', callback_data: 'pay' }]]);
    expect(state.commands).toEqual([{ command: 'start', description: 'Mulai' }]);
    expect(state.messages[0]).toMatchObject({ from: 'user', text: '/start' });

    // The page long-polls: a state request naming the current version waits for the next change.
    const waiting = get(`/chat/${id}/state?since=${state.version}`);
    const press = await post(`/chat/${id}/press`, { messageId: menu.id, data: 'pay' });
    expect(press.status).toBe(200);
    await user.waitForText('Scan');
    state = (await waiting).body;
    expect(state.version).toBeGreaterThan(0);
    state = (await get(`/chat/${id}/state`)).body;
    expect(state.answers).toContainEqual(expect.objectContaining({ text: 'Sebentar…' }));
    const qr = state.messages.find((m: { photo?: unknown }) => m.photo);
    expect(qr.html).toBe('<i>Scan</i>');
    const image = await fetch(sandbox.url + qr.photo.url);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(100);

    await post(`/chat/${id}/send`, { text: 'Saldo' });
    await user.waitForText('Saldo Rp 0');
    state = (await get(`/chat/${id}/state`)).body;
    expect(state.replyKeyboard).toEqual([['Saldo', 'Katalog']]);
    const doc = state.messages.find((m: { document?: unknown }) => m.document).document;
    expect(doc.filename).toBe('pesanan.txt');
    const file = await fetch(sandbox.url + doc.url);
    expect(file.headers.get('content-disposition')).toContain('attachment; filename="pesanan.txt"');
    expect(await file.text()).toBe('akun:rahasia\n');
    // A sticker Telegram holds (no bytes here) shows as an emoji.
    expect(state.messages.find((m: { sticker?: unknown }) => m.sticker).sticker).toEqual({
      emoji: expect.any(String),
    });
  });

  it('refuses what a person could not do: a missing button, an empty message, a group as a user', async () => {
    const id = newUserId();
    await get(`/chat/${id}`);
    expect((await post(`/chat/${id}/press`, { messageId: 99, data: 'x' })).status).toBe(404);
    expect((await post(`/chat/${id}/send`, { text: '' })).status).toBe(400);
    expect((await get('/chat/abc')).status).toBe(400);
    await post('/_sandbox/chats', { id: -100555, type: 'group', title: 'Ops' });
    await bot.telegram.sendMessage(-100555, 'laporan');
    const group = await get('/chat/-100555/state');
    expect(group.body.messages).toEqual([expect.objectContaining({ text: 'laporan' })]);
    expect((await post('/chat/-100555/send', { text: 'hai' })).status).toBe(404);
  });
});
