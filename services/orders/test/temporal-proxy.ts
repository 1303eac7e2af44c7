import net from 'node:net';

/**
 * A TCP proxy in front of the Temporal dev server that a test turns off and on, so one service sees
 * Temporal unreachable (`down`: connections cut and refused), frozen (`frozen`: connections accepted,
 * never answered) or back (`up`). Changing the mode cuts every open connection, as an outage would.
 */
export interface TemporalProxy {
  address: string;
  set: (mode: 'up' | 'down' | 'frozen') => void;
  close: () => Promise<void>;
}

export async function startTemporalProxy(target = process.env.TEMPORAL_ADDRESS!): Promise<TemporalProxy> {
  const [host, port] = target.split(':') as [string, string];
  let mode: 'up' | 'down' | 'frozen' = 'up';
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'down') return void client.destroy();
    if (mode === 'frozen') return;
    const upstream = net.connect(Number(port), host);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${own}`,
    set: (next) => {
      mode = next;
      for (const socket of open) socket.destroy();
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
