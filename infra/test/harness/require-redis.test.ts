import { createServer } from 'node:net';
import { requireRedis, TEST_REDIS_URL } from '../../bench/src/system';

/** A system started with no Redis to use fails at once, naming what is missing, instead of timing out. */
describe('requireRedis', () => {
  it('fails at once, naming the address, when nothing listens there', async () => {
    // A port that was free a moment ago: nothing accepts on it.
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const started = Date.now();
    await expect(requireRedis(`redis://127.0.0.1:${port}`)).rejects.toThrow(
      `no Redis answers at 127.0.0.1:${port}: the end-to-end tests, the bench and chaos need one`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('passes when the Redis the tests use answers', async () => {
    await expect(requireRedis(TEST_REDIS_URL())).resolves.toBeUndefined();
  });
});
