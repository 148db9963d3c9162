/** Core data model: dates, calendars, Panel, Frame, alignment, returns, errors. Pure. */
export * from './errors.js';
export * from './dates.js';
export * from './calendar.js';
export * from './panel.js';
export * from './frame.js';
export * from './align.js';
export * from './returns.js';
export * from './quality.js';
