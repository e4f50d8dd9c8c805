/**
 * For a fake server started by hand (`npm run fake-openai`, `npm run fake-strava`): prints how to use it,
 * then keeps it up until Ctrl-C or SIGTERM, when it closes and the process exits.
 */
export function serveByHand(fake: { close(): Promise<void> }, lines: string[]): void {
  process.stdout.write([...lines, ''].join('\n'));
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
