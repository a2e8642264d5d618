export { DelegateRepository } from './repository.ts';
export { importDelegates, readDelegatesCsv, delegateColumns, type VenueSeats, type ImportOptions } from './import.ts';
export { demoDelegates, seatsFrontToBack, writeDelegatesCsv, delegatesCsv } from './demo-data.ts';
export type { Delegate, PublicDelegate } from './types.ts';
