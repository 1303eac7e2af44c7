/**
 * One value shared by every caller for `ttlMs`, loaded once however many ask at the same moment: for
 * figures many updates show that need not be exact to the second (the menu's totals, the number
 * keyboard). A failed load is not kept.
 */
export function shortLived<T>(load: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let value: { promise: Promise<T>; until: number } | undefined;
  return () => {
    const now = Date.now();
    if (!value || value.until <= now) {
      const promise = load();
      value = { promise, until: now + ttlMs };
      promise.catch(() => {
        if (value?.promise === promise) value = undefined;
      });
    }
    return value.promise;
  };
}
