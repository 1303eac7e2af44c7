export { startPakasirSandbox, type PakasirSandbox, type PakasirSandboxOptions } from './sandbox';
export { buildQrisString, crc16ccitt, parseEmv, verifyQrisCrc, type QrisFields } from './qris';
export { Faults, faultSettings, type FaultSettings, type FaultState } from './faults';
export type { SandboxStatus, SandboxTransaction } from './ledger';
export { sandboxConfigSchema, loadSandboxConfig, type SandboxConfig } from './config';
