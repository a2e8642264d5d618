export { openStore, type Store } from './sqlite-store.ts';
export { getMeta, setMeta } from './meta.ts';
export { readAudit, writeAudit, type AuditEntry } from './audit.ts';
