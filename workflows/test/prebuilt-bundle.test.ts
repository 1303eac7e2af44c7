import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CatalogClient } from '@quickcart/catalog/client';
import { createLogger } from '@quickcart/kit';
import { NotifyClient } from '@quickcart/notify';
import { OrdersClient } from '@quickcart/orders/client';
import { PakasirClient } from '@quickcart/pakasir';
import { broadcastProgress, CORRELATION_MEMO_KEY, type BroadcastInput } from '@quickcart/workflow-api';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type BundleOptions } from '@temporalio/worker';
import { createWorkers } from '../src/worker';
import { workflowSource, writeWorkflowBundle, WORKFLOWS_PATH } from '../src/worker/workflow-bundle';
import { unique } from './temporal';

/** Jest reads the workflow contract from its sources, as the tests' own bundles do (test/temporal.ts). */
const fromSources: Partial<BundleOptions> = {
  webpackConfigHook: (config) => ({
    ...config,
    resolve: {
      ...config.resolve,
      alias: {
        ...config.resolve?.alias,
        '@quickcart/workflow-api': path.resolve(__dirname, '../../packages/workflow-api/src'),
      },
    },
  }),
  logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
};

// Our services' calls land on a listener that notes each call's correlation id and answers 503:
// activities fail and retry, which this test does not need.
const correlationIds: (string | undefined)[] = [];
let services: Server;
let baseUrl: string;
const deps = () => ({
  catalog: new CatalogClient({ baseUrl, token: 'x'.repeat(32) }),
  orders: new OrdersClient({ baseUrl, token: 'x'.repeat(32) }),
  notify: new NotifyClient({ baseUrl, token: 'x'.repeat(32) }),
  pakasir: new PakasirClient({ baseUrl: 'http://127.0.0.1:9', project: 'p', apiKey: 'k' }),
  logger: createLogger('worker', 'silent'),
});

beforeAll(async () => {
  services = createServer((req, res) => {
    correlationIds.push(req.headers['x-correlation-id'] as string | undefined);
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"upstream"}');
  });
  await new Promise<void>((resolve) => services.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(services.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => services.close(resolve)));

describe('the worker in the image', () => {
  it('runs workflows from the bundle written at build, without bundling at start, with the correlation interceptors', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'qc-bundle-')), 'workflow-bundle.js');
    await writeWorkflowBundle(file, fromSources);
    const source = workflowSource(file);
    expect(source).toEqual({ codePath: file });

    const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const clientConnection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const client = new Client({ connection: clientConnection });
    const taskQueue = unique('bundle');
    const workers = await createWorkers({ connection, taskQueue, workflows: source, deps: deps() });
    const running = workers.run();
    const workflowId = unique('broadcast-bundle');
    try {
      const input: BroadcastInput = { broadcastId: workflowId, adminId: 1, message: { text: 'hi' } };
      const handle = await client.workflow.start('broadcast', {
        taskQueue,
        workflowId,
        args: [input],
        memo: { [CORRELATION_MEMO_KEY]: 'bundle-7' },
      });
      // A query is answered by workflow code: this worker has none but the prebuilt bundle's.
      const progress = await handle.query(broadcastProgress);
      expect(progress).toMatchObject({ sent: 0, failed: 0 });
      expect(workers.isRunning()).toBe(true);
      // The bundle's workflow interceptor hands the memo's id to the activity, whose call carries it.
      for (let i = 0; i < 200 && correlationIds.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(correlationIds[0]).toBe('bundle-7');
      await handle.terminate('test over');
    } finally {
      workers.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    }
  });

  it('bundles the sources at start when no bundle is named, and refuses a named bundle that is missing', () => {
    expect(workflowSource(undefined)).toEqual({ workflowsPath: WORKFLOWS_PATH });
    expect(() => workflowSource('/nowhere/workflow-bundle.js')).toThrow(
      /WORKFLOW_BUNDLE_PATH: no workflow bundle at \/nowhere\/workflow-bundle\.js/,
    );
  });
});
