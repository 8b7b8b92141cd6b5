// What every controller node decides before it computes anything on a tick: how much time has
// passed, and whether it may drive at all.
import type { NavState, StampNs } from '../msg/index.ts';
import { secondsBetween } from '../msg/index.ts';
import { navUsable } from './baseline.ts';

/** Why a controller holds zero thrust this tick; 'none' when it may drive. */
export type Holding = 'none' | 'noNav' | 'stale' | 'invalid' | 'disabled' | 'done';

/**
 * Seconds since the last tick. The nominal period on the first tick, and after a gap of more
 * than two periods (a paused process) rather than one huge step.
 */
export function tickDtS(lastTickNs: StampNs | undefined, nowNs: StampNs, rateHz: number): number {
  const periodS = 1 / rateHz;
  const dtS = lastTickNs === undefined ? periodS : secondsBetween(lastTickNs, nowNs);
  return dtS > 0 && dtS <= 2 * periodS ? dtS : periodS;
}

/** Disabled by the supervisor, no navigation yet, navigation unusable, or navigation stale. */
export function holdingReason(enabled: boolean, nav: NavState | undefined, nowNs: StampNs, navStaleS: number): Holding {
  if (!enabled) return 'disabled';
  if (!nav) return 'noNav';
  if (!navUsable(nav)) return 'invalid';
  if (secondsBetween(nav.stampNs, nowNs) > navStaleS) return 'stale';
  return 'none';
}
