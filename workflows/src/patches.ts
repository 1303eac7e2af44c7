import { patched } from '@temporalio/workflow';

let everyPatchApplies = false;

/**
 * Whether a run takes a patch's new branch: `patched(id)`, except in a lean press run (press-patches.ts),
 * which was started after every patch its code asks and so takes every new branch without asking. An
 * asked patch costs two history events (its marker and Core's `TemporalChangeVersion` upsert).
 */
export function applies(patchId: string): boolean {
  return everyPatchApplies || patched(patchId);
}

/** For a lean press run only, first thing in it (module state is the run's own). */
export function applyEveryPatch(): void {
  everyPatchApplies = true;
}
