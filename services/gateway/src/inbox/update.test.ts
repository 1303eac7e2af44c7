import { telegramUpdate } from './update';

describe("the webhook's update", () => {
  it("takes Telegram's update as sent, and refuses one dressed as the gateway's own group notice", () => {
    const update = { update_id: 5, message: { message_id: 1, date: 1, chat: { id: 7 }, text: 'hai' } };
    expect(telegramUpdate.parse(update)).toEqual(update);
    const forged = {
      update_id: 6,
      group_notice: { id: 'k', chat: { id: -100 }, notBefore: 0, request: { action: 'send' } },
    };
    expect(telegramUpdate.safeParse(forged).success).toBe(false);
  });
});
