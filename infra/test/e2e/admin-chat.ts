import { ADMIN_ID } from '../../../services/orders/test/stack';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';

export type Msg = {
  id: number;
  from: 'bot' | 'user';
  text?: string;
  caption?: string;
  document?: { bytes: Buffer };
  photo?: unknown;
};
export const textOf = (m: Msg) => m.text ?? m.caption ?? '';

type TestUser = ReturnType<BotSystem['telegram']['user']>;

export interface AdminChat {
  sys: BotSystem;
  admin: TestUser;
  customer: TestUser;
  /** Sends as the admin and returns the bot's next answer. */
  asAdmin(text: string): Promise<string>;
  /** A non-admin sending `text` gets no reply at all (FEATURES.md §8.2). */
  customerGetsNothing(text: string): Promise<void>;
  close(): Promise<void>;
}

/** A bot system with the bootstrap admin and one ordinary customer, both known to orders. */
export async function startAdminChat(
  timing = { paymentTimeout: '10m', pollInterval: '60s' },
): Promise<AdminChat> {
  const sys = await startBotSystem(timing);
  const admin = sys.telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
  await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
  const customer = sys.telegram.user({ id: newUserId(), firstName: 'Biasa' });
  await sys.stack.orders.upsertUser({ id: customer.id, name: 'Biasa' });
  return {
    sys,
    admin,
    customer,
    asAdmin: async (text) => {
      const after = admin.messages().at(-1)?.id ?? 0;
      await admin.send(text);
      return textOf(await admin.waitFor(() => true, { after }));
    },
    customerGetsNothing: async (text) => {
      const after = customer.messages().at(-1)?.id ?? 0;
      await customer.send(text);
      await customer.send('/help'); // a marker: once it is answered, the command before it was handled
      await customer.waitForText('Bantuan QuickCart');
      const answers = customer.messages().filter((m: Msg) => m.from === 'bot' && m.id > after);
      expect(answers.map(textOf).every((t: string) => t.includes('Bantuan QuickCart'))).toBe(true);
    },
    close: () => sys.close(),
  };
}
