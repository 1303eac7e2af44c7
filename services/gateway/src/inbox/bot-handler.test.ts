import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '@quickcart/kit';
import { z } from 'zod';
import { worthTryingAgain } from './bot-handler';

/**
 * Which failed calls make the inbox run the whole update again. A call that timed out may have been
 * applied, so only one that is safe to repeat (a read, an upsert) is tried again; an overloaded orders
 * (a flash sale on two cores) answering /users after 10 s must not tell the customer "Terjadi gangguan".
 */
describe('an update is tried again after a call that failed', () => {
  let server: Server;
  let client: HttpClient;
  beforeAll(async () => {
    // Answers nothing in time: every call times out.
    server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    client = new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't'.repeat(40), timeoutMs: 100 });
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const failureOf = (call: Promise<unknown>) =>
    call.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('when a read timed out', async () => {
    expect(worthTryingAgain(await failureOf(client.request('GET', '/users/1', z.object({}))))).toBe(true);
  });

  it('when a call its caller calls safe to repeat timed out', async () => {
    const upsert = client.request('POST', '/users', z.object({}), { id: 1 }, { idempotent: true });
    expect(worthTryingAgain(await failureOf(upsert))).toBe(true);
  });

  it('not when another call timed out: it may have been applied', async () => {
    const addStock = client.request('POST', '/products/1/stock', z.object({}), { items: ['x'] });
    expect(worthTryingAgain(await failureOf(addStock))).toBe(false);
  });
});
