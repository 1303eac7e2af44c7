import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';

/**
 * A small round-robin HTTP proxy in front of the replicas of one process, as the reverse proxy is in
 * production (infra/caddy/Caddyfile: `lb_policy round_robin`, `lb_try_duration`): each request goes to
 * the next replica in turn. A replica that refuses the connection (down, restarting) is skipped and the
 * next one tried, since nothing reached it; one that fails after taking the request (killed while
 * handling it) answers the caller 502, since the request may have been applied: the caller's retry and
 * request key deal with that, as they must behind any load balancer.
 */
export class RoundRobinProxy {
  /** Requests forwarded to each replica, by position in `upstreams`. */
  readonly forwarded: number[];
  private next = 0;
  private server?: Server;

  constructor(readonly upstreams: number[]) {
    this.forwarded = upstreams.map(() => 0);
  }

  async listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const first = this.next++ % this.upstreams.length;
        const attempt = (tried: number): void => {
          const i = (first + tried) % this.upstreams.length;
          const upstream = request(
            {
              host: '127.0.0.1',
              port: this.upstreams[i],
              path: req.url,
              method: req.method,
              headers: withLength(req.headers, body.length),
            },
            (answer) => {
              this.forwarded[i]!++;
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.on('error', () => res.destroy());
              answer.pipe(res);
            },
          );
          upstream.on('error', (error: NodeJS.ErrnoException) => {
            if (error.code === 'ECONNREFUSED' && tried + 1 < this.upstreams.length) return attempt(tried + 1);
            if (res.headersSent) return void res.destroy();
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: 'bad_gateway', message: `replica ${i + 1}: ${error.code}` }));
          });
          upstream.end(body);
        };
        attempt(0);
      });
    });
    // Long polls and slow handlers pass through; the callers' own deadlines bound them.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The caller's headers with the body's real length: the body is sent whole, never chunked. */
function withLength(headers: IncomingHttpHeaders, length: number): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers, 'content-length': String(length) };
  delete out['transfer-encoding'];
  return out;
}
