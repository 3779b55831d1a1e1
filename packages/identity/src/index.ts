export * from './id-number.js';
export * from './masking.js';
export * from './areas.js';
