// The process's last line of defence: whoever drives thrusters registers how to zero them, and
// the process-level handlers (bin/coxswain.js: uncaught exceptions, unhandled rejections;
// src/cli/sim.ts: SIGINT, SIGTERM) call emergencyStop() before the process ends, so the
// thrusters are never left running by a dying process.

const stops = new Set<() => void>();

/** Registers a function that zeroes some thrusters; returns its unregistration. */
export function registerEmergencyStop(zero: () => void): () => void {
  stops.add(zero);
  return () => {
    stops.delete(zero);
  };
}

/** Calls every registered zeroing function; never throws. Returns how many ran without error. */
export function emergencyStop(): number {
  let ok = 0;
  for (const zero of stops) {
    try {
      zero();
      ok++;
    } catch {
      // The next one must still run.
    }
  }
  return ok;
}
