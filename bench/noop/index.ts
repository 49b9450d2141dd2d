/**
 * The CEILING of `npm run bench:booking` (never shipped): a cloud function that does nothing. The same
 * calls as the booking's, through the same local cloud, at the same concurrency, measure what the
 * emulator's gateway, instance pool and wx-server-sdk-free round trip cost on their own; booking
 * throughput is reported as a fraction of it.
 */
export function main(): Promise<{ ok: true }> {
  return Promise.resolve({ ok: true });
}
