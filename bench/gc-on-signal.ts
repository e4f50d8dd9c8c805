/**
 * Loaded into the server by the bench only (`node --expose-gc --require dist/bench/gc-on-signal.js`):
 * SIGWINCH runs a full garbage collection, so memory samples (row 6) measure what is retained, not
 * garbage that V8 has not collected yet. SIGWINCH because Nest's shutdown hooks own SIGUSR2 and the like.
 */
process.on('SIGWINCH', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
});
