/**
 * Closes a test system's parts one after another, naming on stderr any part still closing after 10 s:
 * a close that hangs otherwise shows in CI only as "Exceeded timeout … for a hook", with no word of
 * which part held it (refused-notices did, once, in CI).
 */
export async function closeInOrder(parts: [name: string, close: () => Promise<void>][]): Promise<void> {
  for (const [name, close] of parts) {
    const started = Date.now();
    const slow = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      console.warn(`closing the test system: ${name} still closing after ${s} s`);
    }, 10_000);
    try {
      await close();
    } finally {
      clearInterval(slow);
    }
  }
}
