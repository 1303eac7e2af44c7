/**
 * Polls `read` every 100 ms until `ok` accepts its value (workflows and notifications finish in the
 * background); fails after `ms`, naming what it waited for and the last value seen.
 */
export async function eventually<T>(
  read: () => Promise<T> | T,
  ok: (v: T) => boolean,
  what: string,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
