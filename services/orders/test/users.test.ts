import { Conflict, internalAuthHeader, NotFound } from '@quickcart/kit';
import { ADMIN_ID, startTestStack, type TestStack } from './stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(() => s.close());

let nextId = 5_000_000;
const newId = () => ++nextId;

describe('users', () => {
  it('creates a user on first contact with defaults and a 6-digit bank id, and finds them after', async () => {
    const id = newId();
    const first = await s.orders.upsertUser({ id, username: 'budi' });
    expect(first.isNew).toBe(true);
    expect(first.user).toMatchObject({
      id,
      name: 'Anonymous',
      username: 'budi',
      email: null,
      whatsapp: null,
      role: 'customer',
      balance: 0,
      isBanned: false,
    });
    expect(first.user.bankId).toMatch(/^\d{6}$/);
    const again = await s.orders.upsertUser({ id, username: 'budi_baru' });
    expect(again.isNew).toBe(false);
    expect(again.user).toMatchObject({ bankId: first.user.bankId, username: 'budi_baru' });
  });

  it('gives every user a different bank id', async () => {
    const users = await Promise.all(Array.from({ length: 50 }, () => s.orders.upsertUser({ id: newId() })));
    expect(new Set(users.map((u) => u.user.bankId)).size).toBe(50);
  });

  it('makes the ADMIN_IDS users admins, who cannot be demoted by command', async () => {
    const { user } = await s.orders.upsertUser({ id: ADMIN_ID });
    expect(user).toMatchObject({ role: 'admin', isAdmin: true });
    await expect(s.orders.setRole(ADMIN_ID, 'customer', String(ADMIN_ID))).rejects.toMatchObject({
      reason: 'bootstrap_admin',
    });
    expect((await s.orders.notificationRecipients()).chatIds).toContain(ADMIN_ID);
  });

  it('edits a profile with validation, naming the bad field', async () => {
    const id = newId();
    await s.orders.upsertUser({ id });
    const user = await s.orders.updateProfile(id, {
      name: 'Sari',
      email: 'Sari@Example.com',
      whatsapp: '+6281234567890',
    });
    expect(user).toMatchObject({ name: 'Sari', email: 'sari@example.com', whatsapp: '+6281234567890' });
    for (const [body, field] of [
      [{ email: 'bukan-email' }, 'email'],
      [{ whatsapp: '12345' }, 'whatsapp'],
      [{ whatsapp: '08-1234-5678' }, 'whatsapp'],
      [{ name: '   ' }, 'name'],
    ] as const) {
      const res = await fetch(`${s.ordersUrl}/users/${id}/profile`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...internalAuthHeader(s.tokens.gateway) },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(field);
    }
    const other = newId();
    await s.orders.upsertUser({ id: other });
    await expect(s.orders.updateProfile(other, { email: 'sari@example.com' })).rejects.toBeInstanceOf(
      Conflict,
    );
    expect((await s.orders.updateProfile(id, { email: null })).email).toBeNull();
  });

  it('bans and promotes with an audit entry for each', async () => {
    const id = newId();
    await s.orders.upsertUser({ id });
    expect((await s.orders.setBanned(id, true, String(ADMIN_ID))).isBanned).toBe(true);
    expect((await s.orders.setRole(id, 'reseller', String(ADMIN_ID))).role).toBe('reseller');
    const entries = await s.auditSql<{ actor: string; action: string; before: unknown; after: unknown }>(
      "SELECT actor, action, before, after FROM audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id",
      [String(id)],
    );
    expect(entries).toEqual([
      { actor: '1', action: 'user.ban', before: { isBanned: false }, after: { isBanned: true } },
      { actor: '1', action: 'user.role', before: { role: 'customer' }, after: { role: 'reseller' } },
    ]);
  });

  it('reads the language Telegram names until the user chooses one; the choice is audited and stays', async () => {
    const id = newId();
    const language = async (languageCode?: string | null) =>
      (await s.orders.upsertUser({ id, languageCode })).user;
    expect(await language('en-US')).toMatchObject({ language: 'en', languageChosen: false });
    expect(await language(undefined)).toMatchObject({ language: 'en' }); // no code sent: the last one stays
    expect(await language('id')).toMatchObject({ language: 'id' });
    expect(await language('english')).toMatchObject({ language: 'id' }); // en, en-GB…, nothing else
    expect(await s.orders.setLanguage(id, 'en', String(id))).toMatchObject({
      language: 'en',
      languageChosen: true,
    });
    expect(await language('id')).toMatchObject({ language: 'en', languageChosen: true });
    const entries = await s.auditSql<{ actor: string; action: string; before: unknown; after: unknown }>(
      "SELECT actor, action, before, after FROM audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id",
      [String(id)],
    );
    expect(entries).toEqual([
      { actor: String(id), action: 'user.language', before: { language: 'id' }, after: { language: 'en' } },
    ]);
  });

  it('refuses to make an admin a reseller: the admin stays an admin, nothing is audited', async () => {
    const id = newId();
    await s.orders.upsertUser({ id });
    await s.orders.setRole(id, 'admin', String(ADMIN_ID));
    const refusal = s.orders.setRole(id, 'reseller', String(ADMIN_ID));
    await expect(refusal).rejects.toBeInstanceOf(Conflict);
    await expect(refusal).rejects.toMatchObject({ reason: 'is_admin' });
    expect(await s.orders.user(id)).toMatchObject({ role: 'admin', isAdmin: true });
    // A bootstrap admin meets the older rule, whose answer says why /rmadmin would not help either.
    await expect(s.orders.setRole(ADMIN_ID, 'reseller', String(ADMIN_ID))).rejects.toMatchObject({
      reason: 'bootstrap_admin',
    });
    // Demoted first, the same user may become a reseller.
    await s.orders.setRole(id, 'customer', String(ADMIN_ID));
    expect((await s.orders.setRole(id, 'reseller', String(ADMIN_ID))).role).toBe('reseller');
    const roles = await s.auditSql<{ before: unknown; after: unknown }>(
      "SELECT before, after FROM audit_log WHERE action = 'user.role' AND target_id = $1 ORDER BY id",
      [String(id)],
    );
    expect(roles).toEqual([
      { before: { role: 'customer' }, after: { role: 'admin' } },
      { before: { role: 'admin' }, after: { role: 'customer' } },
      { before: { role: 'customer' }, after: { role: 'reseller' } },
    ]);
  });

  it('changes a role only from the role the command expects: /rmress leaves an admin an admin', async () => {
    const id = newId();
    await s.orders.upsertUser({ id });
    await s.orders.setRole(id, 'admin', String(ADMIN_ID));
    await expect(s.orders.setRole(id, 'customer', String(ADMIN_ID), 'reseller')).rejects.toMatchObject({
      reason: 'role_mismatch',
      details: { role: 'admin', expected: 'reseller' },
    });
    expect(await s.orders.user(id)).toMatchObject({ role: 'admin' });
    expect((await s.orders.setRole(id, 'customer', String(ADMIN_ID), 'admin')).role).toBe('customer');
  });

  it('answers an unknown user with 404', async () => {
    await expect(s.orders.user(424242)).rejects.toBeInstanceOf(NotFound);
  });
});
