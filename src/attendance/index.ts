export { Ledger, type CheckInAttempt, type DelegationPresence, type UndoRequest } from './ledger.ts';
export type { CheckInRecord, CheckInRequest, CheckInResult, CheckInSource, Presence } from './types.ts';
