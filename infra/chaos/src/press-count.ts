import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TelegramSandbox } from '@quickcart/sandbox';
import type { Violation } from './violation';

/** What a gateway's handled update looks like in its log (services/gateway/src/metrics.ts, debug). */
interface HandledLine {
  message?: string;
  updateId?: number;
  result?: string;
}

/**
 * Presses sent against presses handled, per person (issue 19): every message and button press a person
 * sends is recorded as Telegram (the sandbox) hands it out, with its update id; every gateway copy logs
 * `update handled` with the update id and its result after each try (LOG_LEVEL=debug). A press is
 * handled once some try ended `ok` or `failed` (the person was told of the failure). One whose last try
 * failed on an outage is dead-lettered: the person was told, and it waits in `inbox:dead` for an
 * operator's replay (docs/operations.md §12); it is counted (`presses_dead_lettered`), not lost. A press
 * with neither after the drain is lost: nothing ran it and nothing kept it.
 */
export class PressCount {
  /** Update ids sent, by person. */
  private readonly sent = new Map<number, Set<number>>();
  private readonly handled = new Set<number>();
  private readonly dead = new Set<number>();
  /** How far each gateway log has been read. */
  private readonly read = new Map<string, number>();

  constructor(
    telegram: TelegramSandbox,
    private readonly logDir: string,
  ) {
    const feed = telegram.feed;
    const push = feed.push.bind(feed);
    feed.push = (body) => {
      const update = push(body);
      const person = personOf(body);
      if (person !== undefined) {
        const mine = this.sent.get(person) ?? new Set<number>();
        mine.add(update.update_id);
        this.sent.set(person, mine);
      }
      return update;
    };
  }

  /** Reads what the gateways logged since the last call. */
  private scan(): void {
    if (!existsSync(this.logDir)) return;
    for (const file of readdirSync(this.logDir).filter((f) => /^gateway(-\d+)?\.log$/.test(f))) {
      const full = path.join(this.logDir, file);
      const text = readFileSync(full, 'utf8');
      const from = this.read.get(full) ?? 0;
      const end = text.lastIndexOf('\n') + 1; // a line still being written is read next time
      if (end <= from) continue;
      this.read.set(full, end);
      for (const line of text.slice(from, end).split('\n')) {
        if (!line.includes('"update handled"')) continue;
        let parsed: HandledLine;
        try {
          parsed = JSON.parse(line) as HandledLine;
        } catch {
          continue;
        }
        if (parsed.message !== 'update handled' || typeof parsed.updateId !== 'number') continue;
        if (parsed.result === 'ok' || parsed.result === 'failed') this.handled.add(parsed.updateId);
        if (parsed.result === 'dead_lettered') this.dead.add(parsed.updateId);
      }
    }
  }

  private settled(id: number): boolean {
    return this.handled.has(id) || this.dead.has(id);
  }

  /** Presses sent and neither handled nor dead-lettered (yet), over everyone. */
  unhandled(): number {
    this.scan();
    let n = 0;
    for (const ids of this.sent.values()) for (const id of ids) if (!this.settled(id)) n++;
    return n;
  }

  figures(): Record<string, number> {
    this.scan();
    const all = [...this.sent.values()].flatMap((ids) => [...ids]);
    return {
      presses_sent: all.length,
      presses_handled: all.filter((id) => this.handled.has(id)).length,
      presses_dead_lettered: all.filter((id) => !this.handled.has(id) && this.dead.has(id)).length,
      presses_people: this.sent.size,
    };
  }

  /** `no_press_lost`: each person's presses sent against those handled. */
  violations(): Violation[] {
    this.scan();
    const out: Violation[] = [];
    for (const [person, ids] of this.sent) {
      const lost = [...ids].filter((id) => !this.settled(id));
      if (lost.length === 0) continue;
      const handled = [...ids].filter((id) => this.handled.has(id)).length;
      out.push({
        invariant: 'no_press_lost',
        subject: `user ${person}`,
        detail:
          `${ids.size} presses sent, ${handled} handled, ${ids.size - handled - lost.length} dead-lettered; ` +
          `lost: update ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', …' : ''}`,
      });
    }
    return out;
  }
}

/** The person behind a message or a button press in a private chat; undefined for anything else. */
function personOf(body: Record<string, unknown>): number | undefined {
  const message = body.message as
    { chat?: { id?: number; type?: string }; from?: { id?: number } } | undefined;
  if (message?.chat?.type === 'private') return message.from?.id ?? message.chat.id;
  const press = body.callback_query as
    { from?: { id?: number }; message?: { chat?: { type?: string } } } | undefined;
  if (press && press.message?.chat?.type === 'private') return press.from?.id;
  return undefined;
}
