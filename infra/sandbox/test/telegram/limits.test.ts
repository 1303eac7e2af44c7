import {
  startTelegramSandbox,
  TELEGRAM_LIMITS,
  telegramSandboxConfigSchema,
  type TelegramSandbox,
} from '../../src';
import { telegramLimitsOf, type TelegramLimits } from '../../src';
import { callApi, newUserId } from './harness';

const sandboxes: TelegramSandbox[] = [];
const start = async (limits?: Partial<TelegramLimits>) => {
  const sandbox = await startTelegramSandbox({ port: 0, limits });
  sandboxes.push(sandbox);
  return sandbox;
};
afterAll(async () => Promise.all(sandboxes.map((s) => s.close())));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (sandbox: TelegramSandbox, chatId: number, text = 'hai') =>
  callApi(sandbox, 'sendMessage', { chat_id: chatId, text });

describe('Telegram limits in the sandbox', () => {
  it("has Telegram's values unless told otherwise", async () => {
    const sandbox = await start();
    expect(sandbox.limits()).toEqual({
      sendsPerSecond: 30,
      chatSendsPerSecond: 1,
      chatBurst: 5,
      groupSendsPerMinute: 20,
      callbackAnswerSeconds: 15,
      floodWaitSeconds: 0,
      webhookRetryMaxPauseSeconds: 60,
      webhookGiveUpSeconds: 86_400,
    });
    expect(TELEGRAM_LIMITS).toEqual(sandbox.limits());
    expect(telegramLimitsOf(telegramSandboxConfigSchema.parse({}))).toEqual(TELEGRAM_LIMITS);
    expect(
      telegramLimitsOf(
        telegramSandboxConfigSchema.parse({
          TELEGRAM_SANDBOX_SENDS_PER_SECOND: '1000',
          TELEGRAM_SANDBOX_CHAT_SENDS_PER_SECOND: '2',
          TELEGRAM_SANDBOX_CHAT_BURST: '8',
          TELEGRAM_SANDBOX_GROUP_SENDS_PER_MINUTE: '40',
          TELEGRAM_SANDBOX_CALLBACK_ANSWER_SECONDS: '10',
          TELEGRAM_SANDBOX_FLOOD_WAIT_SECONDS: '120',
          TELEGRAM_SANDBOX_WEBHOOK_RETRY_MAX_PAUSE_SECONDS: '0.1',
          TELEGRAM_SANDBOX_WEBHOOK_GIVE_UP_SECONDS: '5',
        }),
      ),
    ).toEqual({
      sendsPerSecond: 1000,
      chatSendsPerSecond: 2,
      chatBurst: 8,
      groupSendsPerMinute: 40,
      callbackAnswerSeconds: 10,
      floodWaitSeconds: 120,
      webhookRetryMaxPauseSeconds: 0.1,
      webhookGiveUpSeconds: 5,
    });
  });

  it('takes a burst to one chat, then answers 429 with retry_after until a second has passed', async () => {
    const sandbox = await start();
    const user = sandbox.user({ id: newUserId(), firstName: 'Cepat' });
    for (let i = 0; i < 5; i++) expect((await send(sandbox, user.chatId, `m${i}`)).status).toBe(200);
    const refused = await send(sandbox, user.chatId, 'm5');
    expect(refused).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      },
    });
    expect(user.messages().map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    // Another chat is not held back by this one.
    const other = sandbox.user({ id: newUserId(), firstName: 'Lain' });
    expect((await send(sandbox, other.chatId)).status).toBe(200);
    await sleep(1_050);
    expect((await send(sandbox, user.chatId, 'm6')).status).toBe(200);
    expect((await send(sandbox, user.chatId, 'm7')).status).toBe(429);
  });

  it('counts every kind of new message and every edit against the chat, not chat actions', async () => {
    const sandbox = await start({ chatBurst: 3 });
    const user = sandbox.user({ id: newUserId(), firstName: 'Foto' });
    const first = await send(sandbox, user.chatId);
    expect(first.status).toBe(200);
    const message = { chat_id: user.chatId, message_id: first.body.result.message_id };
    expect((await callApi(sandbox, 'editMessageText', { ...message, text: 'ubah' })).status).toBe(200);
    expect(
      (await callApi(sandbox, 'sendChatAction', { chat_id: user.chatId, action: 'typing' })).status,
    ).toBe(200);
    const markup = { inline_keyboard: [[{ text: 'Cek', callback_data: 'cek' }]] };
    expect(
      (await callApi(sandbox, 'editMessageReplyMarkup', { ...message, reply_markup: markup })).status,
    ).toBe(200);
    // The burst of three is spent: a fourth edit waits like a new message would.
    const edit = await callApi(sandbox, 'editMessageText', { ...message, text: 'lagi' });
    expect(edit.body).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    const sticker = await callApi(sandbox, 'sendSticker', { chat_id: user.chatId, sticker: 'CAAC-sticker' });
    expect(sticker.body).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    expect(user.messages().map((m) => m.text)).toEqual(['ubah']);
  });

  it('takes about 20 messages a minute in a group, then answers 429 with seconds to wait', async () => {
    // The per-chat and global rates raised out of the way: only the group rule is left to refuse.
    const sandbox = await start({ chatBurst: 100, chatSendsPerSecond: 100, sendsPerSecond: 1000 });
    const group = sandbox.createChat(-newUserId(), 'supergroup', 'Admin');
    for (let i = 0; i < 20; i++) expect((await send(sandbox, group.chatId, `g${i}`)).status).toBe(200);
    const refused = await send(sandbox, group.chatId, 'g20');
    expect(refused.status).toBe(429);
    // A twentieth of a minute until the next one: 3 s.
    expect(refused.body.parameters.retry_after).toBe(3);
    const first = group.messages()[0]!;
    const edit = await callApi(sandbox, 'editMessageText', {
      chat_id: group.chatId,
      message_id: first.id,
      text: 'ubah',
    });
    expect(edit.status).toBe(429);
    expect(group.messages()).toHaveLength(20);
    expect(sandbox.rateLimited(group.chatId)).toBe(2);
    // A private chat is not held to the group rule.
    const user = sandbox.user({ id: newUserId(), firstName: 'Pribadi' });
    for (let i = 0; i < 25; i++) expect((await send(sandbox, user.chatId)).status).toBe(200);
  });

  it('answers a flood wait of many seconds when told to, and refuses the chat until it has passed', async () => {
    const sandbox = await start({ chatBurst: 1, floodWaitSeconds: 120 });
    const user = sandbox.user({ id: newUserId(), firstName: 'Banjir' });
    const other = sandbox.user({ id: newUserId(), firstName: 'Tenang' });
    expect((await send(sandbox, user.chatId)).status).toBe(200);
    const refused = await send(sandbox, user.chatId);
    expect(refused.body).toMatchObject({ error_code: 429, parameters: { retry_after: 120 } });
    await sleep(1_050); // the chat's own bucket has a token again; the flood wait still holds
    const again = await send(sandbox, user.chatId);
    expect(again.body).toMatchObject({ error_code: 429 });
    expect(again.body.parameters.retry_after).toBeGreaterThan(100);
    expect((await send(sandbox, other.chatId)).status).toBe(200);
  });

  it('answers 429 over the global rate, whatever the chats', async () => {
    const sandbox = await start({ sendsPerSecond: 3 });
    const users = Array.from({ length: 4 }, () => sandbox.user({ id: newUserId(), firstName: 'Banyak' }));
    const answers = [];
    for (const u of users) answers.push(await send(sandbox, u.chatId));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[3]!.body.parameters).toEqual({ retry_after: 1 });
  });

  it('changes its limits over HTTP, and a reset forgets what was sent', async () => {
    const sandbox = await start();
    const control = (body: object) =>
      fetch(`${sandbox.url}/_sandbox/limits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const changed = await control({ chatBurst: 2 });
    expect(await changed.json()).toMatchObject({ chatBurst: 2, sendsPerSecond: 30 });
    expect((await control({ chatBurst: 0 })).status).toBe(400);
    expect((await control({ perMinute: 3 })).status).toBe(400);
    expect(await (await fetch(`${sandbox.url}/_sandbox/limits`)).json()).toMatchObject({ chatBurst: 2 });
    const user = sandbox.user({ id: newUserId(), firstName: 'Dua' });
    expect((await send(sandbox, user.chatId)).status).toBe(200);
    expect((await send(sandbox, user.chatId)).status).toBe(200);
    expect((await send(sandbox, user.chatId)).status).toBe(429);
    sandbox.reset();
    const again = sandbox.user({ id: user.chatId, firstName: 'Dua' });
    expect((await send(sandbox, again.chatId)).status).toBe(200);
  });

  it('refuses an answer to a button press once the answer window has passed', async () => {
    const sandbox = await start({ callbackAnswerSeconds: 0.3 });
    const user = sandbox.user({ id: newUserId(), firstName: 'Lambat' });
    const menu = await callApi(sandbox, 'sendMessage', {
      chat_id: user.chatId,
      text: 'Menu',
      reply_markup: { inline_keyboard: [[{ text: 'Cek', callback_data: 'cek' }]] },
    });
    expect(menu.status).toBe(200);
    const quick = await user.press('Cek');
    const late = await user.press('Cek');
    expect((await callApi(sandbox, 'answerCallbackQuery', { callback_query_id: quick })).status).toBe(200);
    await sleep(400);
    const refused = await callApi(sandbox, 'answerCallbackQuery', { callback_query_id: late, text: 'Telat' });
    expect(refused).toEqual({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
      },
    });
    const answers = sandbox.store.callbackAnswers(user.chatId);
    expect(answers.map((a) => a.queryId)).toEqual([quick]);
    expect(answers[0]!.answeredAfterMs).toBeLessThan(300);
  });
});
