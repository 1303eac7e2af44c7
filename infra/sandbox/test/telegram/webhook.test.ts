import express from 'express';
import type { Server } from 'node:http';
import { Markup, type Telegraf } from 'telegraf';
import type { TelegramSandbox } from '../../src';
import { callApi, newBot, newUserId, refusal, startSandbox } from './harness';

const SECRET = 'hook-secret_42';
const PATH = '/tg/hook';

let sandbox: TelegramSandbox;
let bot: Telegraf;
let server: Server;
let hookUrl: string;
const secretsSeen: unknown[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  // Telegraf's default webhookReply: answerCbQuery travels back in the webhook's HTTP answer.
  ({ bot } = newBot(sandbox, { webhookReply: true }));
  bot.start((ctx) =>
    ctx.reply('Selamat datang', Markup.inlineKeyboard([[Markup.button.callback('Cek', 'check')]])),
  );
  bot.action('check', (ctx) => ctx.answerCbQuery('Lewat balasan webhook'));
  const app = express();
  app.use((req, _res, next) => {
    secretsSeen.push(req.headers['x-telegram-bot-api-secret-token']);
    next();
  });
  app.use(bot.webhookCallback(PATH, { secretToken: SECRET }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  hookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}${PATH}`;
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(async () => {
  await bot.telegram.deleteWebhook();
  sandbox.reset();
});

describe('webhook mode', () => {
  it('posts updates to the webhook with the secret token header', async () => {
    await bot.telegram.setWebhook(hookUrl, { secret_token: SECRET });
    expect(await bot.telegram.getWebhookInfo()).toMatchObject({ url: hookUrl, pending_update_count: 0 });

    const user = sandbox.user({ id: newUserId(), firstName: 'Indah' });
    await user.send('/start');
    await user.waitForText('Selamat datang');
    expect(secretsSeen.at(-1)).toBe(SECRET);

    const queryId = await user.press('Cek');
    expect(await user.waitForCallbackAnswer(queryId)).toMatchObject({ text: 'Lewat balasan webhook' });
  });

  it('refuses getUpdates while a webhook is set', async () => {
    await bot.telegram.setWebhook(hookUrl, { secret_token: SECRET });
    const error = await refusal(bot.telegram.getUpdates(0, 100, 0, undefined));
    expect(error.code).toBe(409);
    expect(error.description).toMatch(/^Conflict: can't use getUpdates method while webhook is active/);
  });

  it('records a refused delivery and keeps undelivered updates for getUpdates after deleteWebhook', async () => {
    await bot.telegram.setWebhook(hookUrl, { secret_token: 'wrong-secret' });
    const user = sandbox.user({ id: newUserId(), firstName: 'Joni' });
    await user.send('/start');
    await sandbox.updatesSettled();
    // telegraf's filter passes a wrong secret on to express, which answers 404; getWebhookInfo says so.
    expect(sandbox.webhookInfo().lastErrorMessage).toBe('Wrong response from the webhook: 404 Not Found');
    expect((await bot.telegram.getWebhookInfo()).last_error_message).toMatch(/404/);
    expect(user.botMessages()).toEqual([]);

    await bot.telegram.setWebhook(`http://127.0.0.1:1${PATH}`);
    await user.send('lagi');
    await bot.telegram.deleteWebhook();
    await sandbox.updatesSettled();
    const { body } = await callApi(sandbox, 'getUpdates');
    expect(body.result.map((u: any) => u.message.text)).toEqual(['lagi']);
  });
});
