export { startPakasirSandbox, type PakasirSandbox, type PakasirSandboxOptions } from './sandbox';
export { buildQrisString, crc16ccitt, parseEmv, verifyQrisCrc, type QrisFields } from './qris';
export { Faults, faultSettings, type FaultSettings, type FaultState } from './faults';
export type { SandboxStatus, SandboxTransaction } from './ledger';
export { sandboxConfigSchema, loadSandboxConfig, type SandboxConfig } from './config';
export { startTelegramSandbox, type TelegramSandbox, type TelegramSandboxOptions } from './telegram/sandbox';
export { TelegramSandboxCore, type ChatSummary, type CommandScope } from './telegram/sandbox-core';
export { TelegramChatView, TelegramTestUser, type ButtonMatch, type WaitOptions } from './telegram/test-user';
export type { FailNextRule } from './telegram/faults';
export { DEFAULT_LIMITS as TELEGRAM_LIMITS, type TelegramLimits } from './telegram/limits';
export type * from './telegram/model';
export {
  telegramSandboxConfigSchema,
  loadTelegramSandboxConfig,
  limitsOf as telegramLimitsOf,
  type TelegramSandboxConfig,
} from './telegram/config';
