import { ordersConfigSchema } from '../config';
import { FaultHold } from './fault-hold';

const base = {
  ORDERS_API_TOKEN: 'a'.repeat(64),
  GATEWAY_API_TOKEN_SHA256: 'b'.repeat(64),
  WORKER_API_TOKEN_SHA256: 'c'.repeat(64),
  METRICS_API_TOKEN_SHA256: 'd'.repeat(64),
  ADMIN_IDS: '1',
  PAKASIR_PROJECT: 'p',
  PAKASIR_API_KEY: 'k',
  PAKASIR_WEBHOOK_SECRET: 'webhook-secret-0123',
};
const held = (hold: FaultHold, step: Parameters<FaultHold['at']>[0]) =>
  Promise.race([hold.at(step).then(() => 'passed'), new Promise((r) => setTimeout(() => r('held'), 50))]);

describe('the test-only fault switch QC_FAULT_HOLD', () => {
  it('holds nothing unless set', async () => {
    const config = ordersConfigSchema.parse(base);
    expect(config.QC_FAULT_HOLD).toEqual(new Set());
    expect(await held(new FaultHold(config.QC_FAULT_HOLD), 'checkout.after-order-commit')).toBe('passed');
  });

  it('holds exactly the steps named', async () => {
    const config = ordersConfigSchema.parse({ ...base, QC_FAULT_HOLD: 'checkout.after-order-commit' });
    const hold = new FaultHold(config.QC_FAULT_HOLD);
    expect(await held(hold, 'checkout.after-order-commit')).toBe('held');
    expect(await held(hold, 'checkout.before-workflow-start')).toBe('passed');
  });

  it('refuses a step it does not know, so a typo cannot make a crash test pass vacuously', () => {
    expect(() => ordersConfigSchema.parse({ ...base, QC_FAULT_HOLD: 'checkout.after-comit' })).toThrow(
      /unknown steps checkout.after-comit/,
    );
  });
});
