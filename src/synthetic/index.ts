/** Seeded synthetic market with planted truth, for the demo and for tests. Pure. */
export * from './random.js';
export * from './calendar.js';
export * from './factors.js';
export * from './market.js';
