import { PakasirClient, type QrisFeeModel } from '@quickcart/pakasir';
import { QUESTIONS, type Row, type VerifyContext } from './questions';
import { WebhookListener } from './webhook-listener';

export interface VerifyOptions {
  baseUrl: string;
  project: string;
  apiKey: string;
  feeModel: QrisFeeModel;
  /** The public webhook URL is set at Pakasir; this listener is what it reaches. */
  webhook?: { listenPort: number; waitMs: number };
  settleMs?: number;
}

/** Asks Pakasir every question; a question that fails outright is one `error` row, the rest go on. */
export async function verifyPakasir(o: VerifyOptions): Promise<Row[]> {
  // The page's `redirect` is asked about too (issue 18): any https URL will do.
  const pakasir = new PakasirClient({
    baseUrl: o.baseUrl,
    project: o.project,
    apiKey: o.apiKey,
    redirectUrl: 'https://t.me/',
  });
  const run = `QCV${Date.now().toString(36).toUpperCase()}`;
  let n = 0;
  const listener = o.webhook ? new WebhookListener() : undefined;
  if (listener && o.webhook) await listener.listen(o.webhook.listenPort);
  const c: VerifyContext = {
    pakasir,
    feeModel: o.feeModel,
    newOrderId: () => `${run}N${++n}`,
    settleMs: o.settleMs ?? 15_000,
    webhook: listener && o.webhook ? { listener, waitMs: o.webhook.waitMs } : undefined,
  };
  const rows: Row[] = [];
  try {
    for (const question of QUESTIONS) {
      try {
        rows.push(...(await question(c)));
      } catch (error) {
        rows.push({
          question: question.name,
          answer: `could not ask: ${(error as Error).message}`,
          assumption: '-',
          verdict: 'error',
        });
      }
    }
  } finally {
    await listener?.close();
  }
  return rows;
}

/** Non-zero where Pakasir did not answer as QuickCart assumes, or could not be asked. */
export const exitCodeOf = (rows: readonly Row[]): number =>
  rows.some((r) => r.verdict === 'differs' || r.verdict === 'error') ? 1 : 0;

const MARK: Record<Row['verdict'], string> = {
  agrees: 'agrees',
  differs: 'DIFFERS',
  info: 'info',
  skipped: 'skipped',
  error: 'ERROR',
};

/** A plain-text table, one block per question: long answers in side-by-side columns would wrap unreadably. */
export function renderTable(rows: readonly Row[]): string {
  return rows
    .map((r) =>
      [
        `${MARK[r.verdict].padEnd(8)} ${r.question}`,
        `         Pakasir:   ${r.answer}`,
        `         QuickCart: ${r.assumption}`,
      ].join('\n'),
    )
    .join('\n');
}
