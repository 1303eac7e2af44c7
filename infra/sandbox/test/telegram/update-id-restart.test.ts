import express from 'express';
import type { Server } from 'node:http';
import type { TelegramSandbox } from '../../src';
import { newBot, newUserId, startSandbox } from './harness';

type Posted = { update_id: number; message: { text: string; date: number } };

let sandbox: TelegramSandbox;
let server: Server;
const posted: Posted[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  const app = express();
  app.use(express.json());
  app.post('/hook', (req, res) => {
    posted.push(req.body as Posted);
    res.sendStatus(200);
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { bot } = newBot(sandbox);
  await bot.telegram.setWebhook(`http://127.0.0.1:${(server.address() as { port: number }).port}/hook`);
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => server.close(resolve));
});

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('update ids after a week without updates', () => {
  it('may give an id seen before to a new update, with a later date', async () => {
    const user = sandbox.user({ id: newUserId(), firstName: 'Wati' });
    const id = sandbox.feed.nextUpdateId;
    await user.send('sebelum');
    await until(() => posted.length === 1);
    await new Promise((r) => setTimeout(r, 1_100)); // a later second
    sandbox.feed.restartUpdateIds(id);
    await user.send('sesudah');
    await until(() => posted.length === 2);
    const [before, after] = posted;
    expect([before.update_id, after.update_id]).toEqual([id, id]);
    expect([before.message.text, after.message.text]).toEqual(['sebelum', 'sesudah']);
    expect(after.message.date).toBeGreaterThan(before.message.date);
  });
});
