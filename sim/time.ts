// Simulated UTC: the GNSS receiver's clock. Simulated seconds since start map onto a UTC start
// instant from the options, so every run of a scenario has the same GNSS times.

export const DEFAULT_UTC_START = '2026-06-01T10:00:00Z';

/** Milliseconds since the Unix epoch of an ISO 8601 instant; throws on a string that is not one. */
export function parseUtcStartMs(utcStart: string): number {
  const ms = Date.parse(utcStart);
  if (!Number.isFinite(ms)) throw new Error(`utcStart: expected an ISO 8601 instant such as '${DEFAULT_UTC_START}', found '${utcStart}'`);
  return ms;
}

/** UTC milliseconds since the epoch at tS simulated seconds after the start. */
export function simulatedUtcMs(tS: number, utcStart: string = DEFAULT_UTC_START): number {
  return parseUtcStartMs(utcStart) + tS * 1000;
}
