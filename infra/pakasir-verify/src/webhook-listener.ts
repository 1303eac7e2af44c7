import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One POST Pakasir made to the webhook URL, as it arrived. */
export interface WebhookDelivery {
  at: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** What this listener answered it. */
  answered: number;
}

/**
 * Receives the project's webhooks (behind the public URL the seller registered at Pakasir). Answers the
 * first delivery of each order in `refuseFirst` with 500, to see whether and when Pakasir tries again.
 */
export class WebhookListener {
  readonly deliveries: WebhookDelivery[] = [];
  readonly refuseFirst = new Set<string>();
  private server?: Server;

  async listen(port: number): Promise<number> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = parse(Buffer.concat(chunks).toString('utf8'));
        const orderId = (body as { order_id?: unknown } | undefined)?.order_id;
        const seen = this.for(String(orderId)).length > 0;
        const answered = typeof orderId === 'string' && this.refuseFirst.has(orderId) && !seen ? 500 : 200;
        this.deliveries.push({ at: Date.now(), headers: req.headers, body, answered });
        res.writeHead(answered, { 'content-type': 'application/json' }).end('{}');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, resolve));
    return (server.address() as { port: number }).port;
  }

  for(orderId: string): WebhookDelivery[] {
    return this.deliveries.filter(
      (d) => (d.body as { order_id?: unknown } | undefined)?.order_id === orderId,
    );
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
