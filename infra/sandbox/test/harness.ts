import type { PakasirWebhookBody } from '@quickcart/pakasir';
import express from 'express';
import type { Server } from 'node:http';
import { startPakasirSandbox, type PakasirSandbox, type PakasirSandboxOptions } from '../src';

export const PROJECT = 'toko-test';
export const API_KEY = 'sk-test-7f3a9c';

/** A shop's webhook endpoint on a random port, remembering every body it was sent. */
export interface WebhookReceiver {
  url: string;
  received: PakasirWebhookBody[];
  for: (orderId: string) => PakasirWebhookBody[];
  close: () => Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: PakasirWebhookBody[] = [];
  const app = express();
  app.post('/hooks/secret-path', express.json(), (req, res) => {
    received.push(req.body);
    res.json({ ok: true });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/secret-path`,
    received,
    for: (orderId) => received.filter((b) => b.order_id === orderId),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TestSandbox {
  sandbox: PakasirSandbox;
  receiver: WebhookReceiver;
  /** A raw HTTP call, so the wire format itself is what the test checks. */
  call: (method: 'GET' | 'POST', path: string, body?: object) => Promise<{ status: number; body: any }>;
  /** The project's four fields for an order, as every Pakasir call carries them. */
  fields: (orderId: string, amount: number) => Record<string, string | number>;
  close: () => Promise<void>;
}

export async function startTestSandbox(
  options: Pick<PakasirSandboxOptions, 'expiryMinutes' | 'strictOrderIds' | 'qrisFee'> = {},
): Promise<TestSandbox> {
  const receiver = await startWebhookReceiver();
  const sandbox = await startPakasirSandbox({
    port: 0,
    projects: { [PROJECT]: { apiKey: API_KEY, webhookUrl: receiver.url } },
    ...options,
  });
  return {
    sandbox,
    receiver,
    call: async (method, path, body) => {
      const res = await fetch(sandbox.url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    fields: (orderId, amount) => ({ project: PROJECT, order_id: orderId, amount, api_key: API_KEY }),
    close: async () => {
      await sandbox.close();
      await receiver.close();
    },
  };
}

let seq = 0;
/** Unique per test run, so tests never share a payment. */
export const newOrderId = (): string => `INV${process.pid}T${Date.now() % 100000}N${++seq}`;

export const detailPath = (fields: Record<string, string | number>): string =>
  '/api/transactiondetail?' +
  new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
