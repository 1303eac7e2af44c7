import { Writable } from 'node:stream';
import winston from 'winston';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';

/** One error boundary (issue 11, defect 7): every handler error is logged and the person answered. */
let sys: BotSystem;
const lines: Record<string, unknown>[] = [];
const TRY_AGAIN = 'Terjadi gangguan';

beforeAll(async () => {
  sys = await startBotSystem(
    { paymentTimeout: '10m', pollInterval: '60s' },
    { LOG_LEVEL: 'warn' },
    {
      worker: false,
    },
  );
  // The gateway's lines to memory instead of the console.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  sys.gatewayLogger.clear().add(new winston.transports.Stream({ stream: sink }));
});
afterAll(() => sys?.close());

const failures = (userId: number) =>
  lines.filter((l) => l.message === 'update failed' && l.userId === userId);

it('a message whose handler fails is logged with its update id and answered with "coba lagi"', async () => {
  const user = sys.telegram.user({ id: newUserId(), firstName: 'Galat' });
  await sys.stack.orders.upsertUser({ id: user.id, name: 'Galat' });
  // The handler's own reply is refused (a 400 is not retried); the boundary's reply then goes out.
  sys.telegram.failNext({ method: 'sendMessage', errorCode: 400, description: 'Bad Request: injected' });
  await user.send('/help');
  await user.waitForText(TRY_AGAIN);
  expect(failures(user.id)).toHaveLength(1);
  expect(failures(user.id)[0]).toMatchObject({ updateType: 'message', updateId: expect.any(Number) });
});

it('a button whose handler fails is answered at once, so its spinner stops, and logged', async () => {
  const user = sys.telegram.user({ id: newUserId(), firstName: 'Tombol' });
  await sys.stack.orders.upsertUser({ id: user.id, name: 'Tombol' });
  await user.send('/start');
  await user.waitForText('Halo Tombol');
  sys.telegram.failNext({ method: 'editMessageText', errorCode: 400, description: 'Bad Request: injected' });
  sys.telegram.failNext({ method: 'sendMessage', errorCode: 400, description: 'Bad Request: injected' });
  const queryId = await user.press('Kategori');
  const answer = await user.waitForCallbackAnswer(queryId);
  // The boundary's alert; or, when the handler took longer than the 1 s answer deadline (a loaded
  // machine: the final CI run saw it), the spinner was stopped empty and "coba lagi" comes as a message
  // (context.ts answer). Either way the spinner stops and the person is told.
  if (answer.text === undefined) await user.waitForText(TRY_AGAIN);
  else {
    expect(answer.text).toContain(TRY_AGAIN);
    expect(answer.showAlert).toBe(true);
  }
  await eventually(
    async () => failures(user.id).length,
    (n) => n === 1,
    'the failure logged',
  );
  expect(failures(user.id)).toHaveLength(1);
  expect(failures(user.id)[0]).toMatchObject({ updateType: 'callback_query' });
});
