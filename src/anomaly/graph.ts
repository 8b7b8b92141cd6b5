// The sensor graph: channels as nodes, physical couplings as edges. Every node carries
// FEATURES_PER_NODE features (src/anomaly/features.ts) and stands for one fault class, so a
// node's share of the anomaly score names the kind of fault.
import type { FaultClass } from '../msg/index.ts';

export const NODE_NAMES = ['thruster', 'stuck', 'heading', 'gnss', 'sonar'] as const;
export const NODE_COUNT = NODE_NAMES.length;
export const FEATURES_PER_NODE = 6;
export const FEATURE_COUNT = NODE_COUNT * FEATURES_PER_NODE;

/** The fault class each node stands for. */
export const NODE_CLASS: readonly FaultClass[] = ['thruster', 'stuck', 'heading', 'gnss', 'sonar'];

/**
 * Physical couplings (undirected): thrust drives yaw and surge; yaw rate and surge bend the
 * course that GNSS sees; heading and course over ground are compared; position places each
 * sounding, so GNSS and the sounder share the track.
 */
export const EDGES: ReadonlyArray<readonly [number, number]> = [
  [0, 1], // differential and common thrust act on the same hull
  [0, 2], // yaw moment -> heading change
  [1, 3], // surge speed -> GNSS velocity and position increments
  [2, 3], // heading against course over ground
  [3, 4], // position places the sounding; depth changes follow the track
];

/** Row-normalised adjacency (mean aggregation of neighbours), row-major NODE_COUNT x NODE_COUNT. */
export function normalisedAdjacency(): Float64Array {
  const a = new Float64Array(NODE_COUNT * NODE_COUNT);
  for (const [i, j] of EDGES) {
    a[i * NODE_COUNT + j] = 1;
    a[j * NODE_COUNT + i] = 1;
  }
  for (let i = 0; i < NODE_COUNT; i++) {
    let deg = 0;
    for (let j = 0; j < NODE_COUNT; j++) deg += a[i * NODE_COUNT + j];
    if (deg > 0) for (let j = 0; j < NODE_COUNT; j++) a[i * NODE_COUNT + j] /= deg;
  }
  return a;
}

/** Fault class of a simulator fault kind (the mapping). */
export function classOfFaultKind(kind: string): FaultClass {
  switch (kind) {
    case 'thrusterLoss':
    case 'thrusterDegradation':
      return 'thruster';
    case 'stuckVegetation':
      return 'stuck';
    case 'imuHeadingDrift':
      return 'heading';
    case 'gnssDegradation':
    case 'gnssDropout':
    case 'gnssJump':
      return 'gnss';
    case 'sonarDropout':
    case 'sonarSpurious':
      return 'sonar';
    default:
      return 'unknown';
  }
}
