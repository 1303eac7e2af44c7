import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { Dependency } from '../contract';
import { ALERT_RULES, isTelegramRefusal } from './alert-rules';

/** Reports older than this are deleted: the longest window read is minutes. */
const KEPT_MS = 3_600_000;

/**
 * What Pakasir and Telegram answered QuickCart's calls, by result, as the callers hand their tallies
 * over (kit's CallTally: orders' own Pakasir calls, the worker's through POST /dependency-calls, the
 * gateway's Telegram calls the same way), so the owner's "keeps refusing" alerts see every process's
 * calls from one place (docs/operations.md §16).
 */
export class DependencyCalls {
  constructor(private readonly sequelize: Sequelize) {}

  async record(dependency: Dependency, results: Record<string, number>): Promise<void> {
    const counted = Object.entries(results).filter(([, n]) => n > 0);
    if (counted.length === 0) return;
    await this.sequelize.query(
      `INSERT INTO orders.dependency_calls (dependency, result, calls)
       SELECT :dependency, r, n FROM unnest(ARRAY[:results]::text[], ARRAY[:calls]::int[]) AS t(r, n)`,
      {
        replacements: {
          dependency,
          results: counted.map(([result]) => result),
          calls: counted.map(([, n]) => n),
        },
      },
    );
  }

  /** The calls reported in the last `windowMs`, by result; forgets what is older than an hour. */
  async within(dependency: Dependency, windowMs: number): Promise<Record<string, number>> {
    await this.sequelize.query(
      `DELETE FROM orders.dependency_calls WHERE at < now() - make_interval(secs => :kept / 1000.0)`,
      { replacements: { kept: KEPT_MS } },
    );
    const rows = await this.sequelize.query<{ result: string; calls: number }>(
      `SELECT result, sum(calls)::int AS calls FROM orders.dependency_calls
        WHERE dependency = :dependency AND at > now() - make_interval(secs => :window / 1000.0)
        GROUP BY result`,
      { replacements: { dependency, window: windowMs }, type: QueryTypes.SELECT },
    );
    return Object.fromEntries(rows.map((r) => [r.result, r.calls]));
  }

  /**
   * QuickCartPakasirRefusing's condition: more than a fifth of Pakasir's calls in the window failed
   * (anything but `ok`). "failed/all" while it holds.
   */
  async pakasirRefusing(windowMs: number): Promise<string | undefined> {
    const calls = await this.within('pakasir', windowMs);
    const all = Object.values(calls).reduce((a, b) => a + b, 0);
    const failed = all - (calls.ok ?? 0);
    return all > 0 && failed / all > ALERT_RULES.pakasirRefusing.failedShare ? `${failed}/${all}` : undefined;
  }

  /**
   * QuickCartTelegramRefusing's condition: one refusal (401, 404, 409, 429, 5xx, network) more than 0.2
   * a second over the window. "429 ×75" for each such result while it holds.
   */
  async telegramRefusing(windowMs: number): Promise<string | undefined> {
    const calls = await this.within('telegram', windowMs);
    const over = Object.entries(calls).filter(
      ([result, n]) =>
        isTelegramRefusal(result) && n / (windowMs / 1000) > ALERT_RULES.telegramRefusing.perSecond,
    );
    return over.length > 0 ? over.map(([result, n]) => `${result} ×${n}`).join(', ') : undefined;
  }
}
