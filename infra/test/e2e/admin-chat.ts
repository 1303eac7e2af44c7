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
  /**
   * A money command (docs/features.md §3.2): sends it, presses "✅ Jalankan" on its preview and returns
   * what the preview became; an answer without the button (a wrong format, an unknown user) as it is.
   */
  confirmAsAdmin(text: string): Promise<string>;
  /** A non-admin sending `text` gets no reply at all (docs/features.md §8.2). */
  customerGetsNothing(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The admin chat of a describe block: started in its beforeAll, closed in its afterAll. Fields are
 * read at use, so tests (and a later beforeAll) see the running chat.
 */
export function useAdminChat(timing?: { paymentTimeout: string; pollInterval: string }): AdminChat {
  let chat: AdminChat | undefined;
  beforeAll(async () => {
    chat = await startAdminChat(timing);
  });
  afterAll(() => chat?.close());
  const current = () => {
    if (!chat) throw new Error('the admin chat starts in beforeAll');
    return chat;
  };
  return {
    get sys() {
      return current().sys;
    },
    get admin() {
      return current().admin;
    },
    get customer() {
      return current().customer;
    },
    asAdmin: (text) => current().asAdmin(text),
    confirmAsAdmin: (text) => current().confirmAsAdmin(text),
    customerGetsNothing: (text) => current().customerGetsNothing(text),
    close: () => current().close(),
  };
}

/**
 * An answer to the admin's command: any message of the bot but the admins' digest, which orders sends on
 * its own every ADMIN_DIGEST_SECONDS (a second in tests) and may land between a command and its answer.
 */
const isAnswer = (m: Msg) => !textOf(m).startsWith('🗂');

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
      return textOf(await admin.waitFor(isAnswer, { after }));
    },
    confirmAsAdmin: async (text) => {
      const after = admin.messages().at(-1)?.id ?? 0;
      await admin.send(text);
      const preview = await admin.waitFor(isAnswer, { after });
      if (!admin.inlineButtons(preview).flat().includes('✅ Jalankan')) return textOf(preview);
      await admin.pressOn(preview.id, '✅ Jalankan');
      const done = await admin.waitFor((m: Msg) => m.id === preview.id && textOf(m) !== textOf(preview));
      return textOf(done);
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
