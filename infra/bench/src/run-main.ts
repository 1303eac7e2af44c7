/**
 * Runs a harness's main (bench, chaos) to its exit code: its tear-down (processes, sandboxes, databases,
 * Redis keys) runs once, whether main ends, throws, or Ctrl-C / SIGTERM comes first.
 */
export function runMain(name: string, main: () => Promise<number>, tearDown: () => Promise<void>): void {
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await tearDown();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  main().then(
    (code) => stop(code),
    (error: Error) => {
      console.error(`[${name}] ${error.stack ?? error.message}`);
      return stop(2);
    },
  );
}
