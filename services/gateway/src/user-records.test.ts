import type { User } from '@quickcart/orders/contract';
import { telegramSeen, UserRecords } from './user-records';

const user = (id: number): User => ({
  id,
  name: `U${id}`,
  username: null,
  email: null,
  whatsapp: null,
  role: 'customer',
  isAdmin: false,
  bankId: `B${id}`,
  balance: 0,
  isBanned: false,
  blockedBot: false,
  language: 'id',
  languageChosen: false,
  createdAt: new Date(0).toISOString(),
});

describe('UserRecords', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reuses a record for its time only, and only while the Telegram profile is the same', () => {
    const records = new UserRecords(5_000);
    const seen = telegramSeen({ username: 'rina', language_code: 'id' });
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    records.keep(user(1), seen);
    expect(records.get(1, seen)?.id).toBe(1);
    expect(records.get(1, telegramSeen({ username: 'rina2', language_code: 'id' }))).toBeUndefined();
    // A stale look forgot it: orders is asked again even with the old profile.
    expect(records.get(1, seen)).toBeUndefined();
    records.keep(user(1), seen);
    now.mockReturnValue(1_005_001);
    expect(records.get(1, seen)).toBeUndefined();
  });

  it('forgets on demand, keeps nothing with ttl 0, and keeps at most 10,000 records', () => {
    const records = new UserRecords(5_000);
    records.keep(user(1), '');
    records.forget(1);
    expect(records.get(1, '')).toBeUndefined();
    const off = new UserRecords(0);
    off.keep(user(2), '');
    expect(off.get(2, '')).toBeUndefined();
    for (let id = 1; id <= 10_001; id++) records.keep(user(id), '');
    expect(records.get(1, '')).toBeUndefined();
    expect(records.get(2, '')?.id).toBe(2);
    expect(records.get(10_001, '')?.id).toBe(10_001);
  });
});
