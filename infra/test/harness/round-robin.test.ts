import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RoundRobinProxy } from '../../bench/src/round-robin';

/** The harness's stand-in for Caddy in front of the copies (bench and chaos --replicas). */
const upstreams: Server[] = [];
let proxy: RoundRobinProxy;
let url: string;

/** A copy that answers its own name and the body it got; `/die` drops the connection mid-request. */
async function copy(name: string): Promise<number> {
  const server = createServer((req, res) => {
    if (req.url === '/die') return void req.socket.destroy();
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => res.end(JSON.stringify({ name, body })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstreams.push(server);
  return (server.address() as AddressInfo).port;
}

beforeEach(async () => {
  proxy = new RoundRobinProxy([await copy('one'), await copy('two')]);
  const free = createServer();
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
  const port = (free.address() as AddressInfo).port;
  await new Promise((resolve) => free.close(resolve));
  await proxy.listen(port);
  url = `http://127.0.0.1:${port}`;
});
afterEach(async () => {
  await proxy.close();
  for (const s of upstreams.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const post = async (p = '/') => {
  const res = await fetch(`${url}${p}`, { method: 'POST', body: 'hello' });
  return { status: res.status, body: (await res.json()) as { name?: string; body?: string } };
};

it('sends each request to the next copy in turn, body and all', async () => {
  const names = [];
  for (let i = 0; i < 4; i++) names.push((await post()).body);
  expect(names).toEqual([
    { name: 'one', body: 'hello' },
    { name: 'two', body: 'hello' },
    { name: 'one', body: 'hello' },
    { name: 'two', body: 'hello' },
  ]);
  expect(proxy.forwarded).toEqual([2, 2]);
});

it('skips a copy that refuses the connection, and answers 502 when every copy does', async () => {
  const first = upstreams[0]!;
  first.closeAllConnections();
  await new Promise((resolve) => first.close(resolve));
  for (let i = 0; i < 3; i++) expect((await post()).body.name).toBe('two');
  const second = upstreams[1]!;
  second.closeAllConnections();
  await new Promise((resolve) => second.close(resolve));
  expect((await post()).status).toBe(502);
});

it('answers 502 and tries no other copy when the copy died holding the request', async () => {
  const died = await post('/die');
  expect(died.status).toBe(502);
  expect(proxy.forwarded).toEqual([0, 0]); // not sent again: the first copy may have applied it
});
