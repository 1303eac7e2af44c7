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

async function until(ok: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
    // telegraf's filter passes a wrong secret on to express, which answers 404; getWebhookInfo says so.
    await until(() => sandbox.webhookInfo().lastErrorMessage !== undefined, 'a refused delivery');
    expect(sandbox.webhookInfo().lastErrorMessage).toBe('Wrong response from the webhook: 404 Not Found');
    expect((await bot.telegram.getWebhookInfo()).last_error_message).toMatch(/404/);
    expect(user.botMessages()).toEqual([]);

    await bot.telegram.setWebhook(`http://127.0.0.1:1${PATH}`);
    await user.send('lagi');
    await bot.telegram.deleteWebhook();
    await sandbox.updatesSettled();
    // Telegram gives up on neither while it still tries: both wait for the bot, in order.
    const { body } = await callApi(sandbox, 'getUpdates');
    expect(body.result.map((u: any) => u.message.text)).toEqual(['/start', 'lagi']);
  });

  it("keeps trying a failing delivery for longer, with the chat's later updates held behind it", async () => {
    sandbox.setLimits({ webhookRetryMaxPauseSeconds: 0.2 });
    let failing = 12; // 12 refusals: 50 ms doubling to 200 ms, about 2 s of trying
    const seen: string[] = [];
    const app = express();
    app.use(express.json());
    app.post('/flaky', (req, res) => {
      const text = String(req.body?.message?.text ?? '');
      if (failing > 0 && text === 'satu') {
        failing--;
        return void res.status(500).end();
      }
      seen.push(text);
      res.status(200).end();
    });
    const flaky = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (flaky.address() as { port: number }).port;
      await bot.telegram.setWebhook(`http://127.0.0.1:${port}/flaky`);
      const user = sandbox.user({ id: newUserId(), firstName: 'Sabar' });
      const other = sandbox.user({ id: newUserId(), firstName: 'Lain' });
      await user.send('satu');
      await user.send('dua');
      await other.send('orang lain');
      await until(() => seen.includes('orang lain'), "another chat's update");
      expect(seen).toEqual(['orang lain']); // this chat's second waits behind its first
      await until(() => seen.length === 3, 'both updates once the bot answers again', 10_000);
      expect(seen).toEqual(['orang lain', 'satu', 'dua']);
      expect(failing).toBe(0);
    } finally {
      sandbox.setLimits({ webhookRetryMaxPauseSeconds: 60 });
      await bot.telegram.deleteWebhook({ drop_pending_updates: true });
      await new Promise((resolve) => flaky.close(resolve));
    }
  });

  it('gives a failing update up after the give-up time, and the chat goes on', async () => {
    sandbox.setLimits({ webhookRetryMaxPauseSeconds: 0.1, webhookGiveUpSeconds: 0.5 });
    const seen: string[] = [];
    const app = express();
    app.use(express.json());
    app.post('/broken', (req, res) => {
      const text = String(req.body?.message?.text ?? '');
      if (text === 'rusak') return void res.status(500).end();
      seen.push(text);
      res.status(200).end();
    });
    const broken = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (broken.address() as { port: number }).port;
      await bot.telegram.setWebhook(`http://127.0.0.1:${port}/broken`);
      const user = sandbox.user({ id: newUserId(), firstName: 'Rusak' });
      await user.send('rusak');
      await user.send('berikutnya');
      await until(() => seen.length === 1, 'the next update after the give-up', 5_000);
      expect(seen).toEqual(['berikutnya']);
    } finally {
      sandbox.setLimits({ webhookRetryMaxPauseSeconds: 60, webhookGiveUpSeconds: 86_400 });
      await bot.telegram.deleteWebhook({ drop_pending_updates: true });
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});
