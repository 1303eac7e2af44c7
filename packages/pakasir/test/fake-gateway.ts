import { createServer, type Server } from 'node:http';

/**
 * A stand-in gateway that answers every call with one fixed body, for answers the sandbox never gives
 * (a broken contract, numbers sent as strings). It is Pakasir we fake here, never our own code.
 */
export async function startFakeGateway(
  status: number,
  body: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
