import type { StampNs } from '../msg/index.ts';
import type { Clock } from '../ports/index.ts';

/** Wall time, for the vessel. */
export class WallClock implements Clock {
  nowNs(): StampNs {
    return process.hrtime.bigint() - WallClock.offsetNs;
  }
  // hrtime is monotonic but has an arbitrary origin; anchor it to the epoch once.
  private static readonly offsetNs = process.hrtime.bigint() - BigInt(Date.now()) * 1_000_000n;
}

/** Virtual time for simulation and replay: it moves only when told to, and never backwards. */
export class VirtualClock implements Clock {
  private now: StampNs;
  constructor(startNs: StampNs = 0n) {
    this.now = startNs;
  }
  nowNs(): StampNs {
    return this.now;
  }
  /** Moves time forward. A request to move it backwards is ignored and returns false. */
  advanceTo(ns: StampNs): boolean {
    if (ns < this.now) return false;
    this.now = ns;
    return true;
  }
}
