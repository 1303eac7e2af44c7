import { loadVerifySettings } from './settings';
import { exitCodeOf, renderTable, verifyPakasir } from './verify';

/**
 * `npm run pakasir:verify`: asks a real Pakasir project in sandbox mode every question QuickCart's
 * Pakasir sandbox answers by assumption, and prints both side by side. Exits 1 where they differ.
 */
async function main(): Promise<void> {
  const s = loadVerifySettings();
  const webhook = s.PAKASIR_VERIFY_WEBHOOK_URL
    ? { listenPort: s.PAKASIR_VERIFY_WEBHOOK_PORT, waitMs: s.PAKASIR_VERIFY_WEBHOOK_WAIT * 1_000 }
    : undefined;
  // The key is never printed; the client scrubs it from every message.
  console.log(`Pakasir at ${s.PAKASIR_BASE_URL}, project ${s.PAKASIR_PROJECT}`);
  if (webhook) {
    console.log(
      `Webhooks: listening on port ${webhook.listenPort}; the project's webhook URL must reach it ` +
        `(${s.PAKASIR_VERIFY_WEBHOOK_URL})`,
    );
  }
  const rows = await verifyPakasir({
    baseUrl: s.PAKASIR_BASE_URL,
    project: s.PAKASIR_PROJECT,
    apiKey: s.PAKASIR_API_KEY,
    feeModel: s.QRIS_FEE_TIERS,
    webhook,
  });
  console.log(renderTable(rows));
  const code = exitCodeOf(rows);
  console.log(code === 0 ? '\nEvery answer agrees.' : '\nSome answers differ from what QuickCart assumes.');
  process.exitCode = code;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 2;
});
