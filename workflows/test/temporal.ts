import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  DefaultLogger,
  Runtime,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

// Worker state changes are noise in test output; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });
import { SA } from '@quickcart/workflow-api';

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/** The workflow contract from its sources, as jest reads it (the worker's build bundles its dist). */
const WORKFLOW_API_SOURCE = path.resolve(__dirname, '../../packages/workflow-api/src');

/** Bundles a workflows file once per test file (webpack takes about a second). */
export function bundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  let b = bundles.get(workflowsPath);
  if (!b) {
    b = bundleWorkflowCode({
      workflowsPath,
      logger: quietLogger,
      webpackConfigHook: (config) => ({
        ...config,
        resolve: {
          ...config.resolve,
          alias: { ...config.resolve?.alias, '@quickcart/workflow-api': WORKFLOW_API_SOURCE },
        },
      }),
    });
    bundles.set(workflowsPath, b);
  }
  return b;
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

const INDEXED = temporal.api.enums.v1.IndexedValueType;
const TYPE = { KEYWORD: INDEXED.INDEXED_VALUE_TYPE_KEYWORD, INT: INDEXED.INDEXED_VALUE_TYPE_INT } as const;

/** The time-skipping server, with QuickCart's search attributes registered (it knows none of them). */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path)
    throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run tests through jest (its globalSetup sets it)');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.values(SA).map((key) => [key.name, TYPE[key.type as keyof typeof TYPE]]),
    ),
  });
  return env;
}

/** The dev server that infra/temporal/temporal.sh started for this test run. */
export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: run tests through jest (its globalSetup sets it)');
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: 'default' });
}

let counter = 0;
/** Task queues and ids unique per test, so files can share one dev server in parallel. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
