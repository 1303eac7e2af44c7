import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

/** The workflows' source (this folder's parent), which every bundle starts from. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Workflow interceptors every bundle carries: the run's correlation id on its activities and log lines
 * (correlation-interceptors.ts, docs/operations.md §17).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../correlation-interceptors')];

/**
 * Bundles the workflows once and writes the bundle to `file`: the image does it at build
 * (build-workflow-bundle.ts), so a worker starts without webpack and every replica runs the same code.
 */
export async function writeWorkflowBundle(file: string, options: Partial<BundleOptions> = {}): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    ...options,
  });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, code);
}

/**
 * Where the worker takes its workflows from: the prebuilt bundle when WORKFLOW_BUNDLE_PATH names one
 * (the image sets it), else the sources, bundled at start (development and tests). A named bundle that
 * is missing stops the worker: falling back would hide a broken image.
 */
export function workflowSource(
  bundlePath: string | undefined,
): { codePath: string } | { workflowsPath: string } {
  if (!bundlePath) return { workflowsPath: WORKFLOWS_PATH };
  if (!existsSync(bundlePath))
    throw new Error(
      `WORKFLOW_BUNDLE_PATH: no workflow bundle at ${bundlePath} (build it with build-workflow-bundle.js)`,
    );
  return { codePath: bundlePath };
}
