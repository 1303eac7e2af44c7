import { CallTally } from './call-tally';
import { createLogger } from './logger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('hands over the calls by result, and keeps those orders did not take for the next hand-over', async () => {
  const taken: Record<string, number>[] = [];
  let refuse = true;
  const tally = new CallTally();
  tally.start(
    async (results) => {
      if (refuse) throw new Error('orders is away');
      taken.push(results);
    },
    createLogger('test', 'silent'),
    50,
  );
  tally.count('ok');
  tally.count('429');
  tally.count('ok');
  await sleep(120); // refused at least once
  expect(taken).toEqual([]);
  refuse = false;
  tally.count('network');
  await sleep(120);
  expect(taken).toEqual([{ ok: 2, '429': 1, network: 1 }]);
  await sleep(120);
  expect(taken).toHaveLength(1); // nothing new: nothing sent
  await tally.stop();
});
