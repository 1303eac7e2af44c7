import { ADMIN_ID, startTestStack, type TestStack } from './stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(() => s.close());

describe('a whitelisted group that Telegram upgraded to a supergroup', () => {
  it('keeps getting notices under its new chat id, in its place in the list, and the move is audited', async () => {
    const [first, migrated, last] = [-4001, -4002, -4003];
    for (const chatId of [first, migrated, last])
      await s.orders.setNotificationGroup(chatId, true, String(ADMIN_ID));
    const supergroup = -1_004_002;

    expect(await s.worker.moveNotificationGroup(migrated, supergroup)).toEqual({ changed: true });
    expect((await s.orders.notificationGroups()).chatIds).toEqual([first, supergroup, last]);
    expect((await s.orders.notificationRecipients()).chatIds).toContain(supergroup);
    expect((await s.orders.notificationRecipients()).chatIds).not.toContain(migrated);

    // The same move reported again (a retried send) changes nothing and is not audited twice.
    expect(await s.worker.moveNotificationGroup(migrated, supergroup)).toEqual({ changed: false });
    // The audit endpoint moves the outbox first, so the entry is there at once.
    const { items } = await s.orders.audit({ limit: 100 });
    expect(items.filter((e) => e.action === 'group.migrate')).toEqual([
      expect.objectContaining({
        actor: 'system',
        before: { chatId: migrated },
        after: { chatId: supergroup },
      }),
    ]);
  });

  it('moves nothing for a group that is not whitelisted', async () => {
    expect(await s.worker.moveNotificationGroup(-4100, -1_004_100)).toEqual({ changed: false });
    expect((await s.orders.notificationGroups()).chatIds).not.toContain(-1_004_100);
  });
});
