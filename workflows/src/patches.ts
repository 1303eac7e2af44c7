import { patched } from '@temporalio/workflow';

let folded: ReadonlySet<string> = new Set();

/**
 * Whether a run takes a patch's new branch: `patched(id)`, except for the patches a lean press run
 * (press-patches.ts) folds in: it was started after all of them, so it takes their new branches without
 * asking (an asked patch costs two history events: its marker and Core's `TemporalChangeVersion`
 * upsert). A patch added after the lean one is not folded in: even a lean run asks it, since lean runs
 * started before it must keep their old branch on replay.
 */
export function applies(patchId: string): boolean {
  return folded.has(patchId) || patched(patchId);
}

/** For a lean press run only, first thing in it (module state is the run's own). */
export function applyFoldedPatches(patchIds: readonly string[]): void {
  folded = new Set(patchIds);
}
