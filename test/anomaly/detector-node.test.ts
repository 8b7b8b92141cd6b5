import { describe, expect, it } from 'vitest';
import { DetectorNode, type DetectorSet } from '../../src/anomaly/detector-node.ts';
import { Chi2Gate, FeatureCusum } from '../../src/anomaly/change.ts';
import { FEATURE_COUNT } from '../../src/anomaly/graph.ts';
import { OTTER } from '../../src/model/vessel.ts';
import { Runtime } from '../../src/runtime/node.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import type { NodeFault } from '../../src/msg/index.ts';

const unit = () => ({ mean: new Array<number>(FEATURE_COUNT).fill(0), std: new Array<number>(FEATURE_COUNT).fill(1) });

function classical(): DetectorSet {
  const n = unit();
  return { cusum: new FeatureCusum(n.mean, n.std, 0.5, 8, 30), chi2: new Chi2Gate(n.mean, n.std, 60, 3, 30) };
}

describe('DetectorNode', () => {
  it('falls back to the classical detectors when the learned model is lost, and says so as a fault', () => {
    const rt = new Runtime({ clock: new VirtualClock(7n), log: silentLogger });
    const learned: DetectorSet = { learned: { scorer: () => {}, cusum: undefined as never } };
    const node = new DetectorNode('detector', OTTER, 0, learned, undefined, classical);
    const faults: NodeFault[] = [];
    rt.add(node);
    rt.add({ name: 'watch', start: (ctx) => void ctx.bus.subscribe('fault', (f) => faults.push(f)) });
    rt.start();
    expect(node.backend).toBe('learned');
    node.fallBack('model file missing');
    expect(node.backend).toBe('classical');
    expect(faults).toEqual([{ stampNs: 7n, node: 'detector', kind: 'error', message: 'model file missing; classical detectors continue' }]);
    // Only once: a second loss changes nothing.
    node.fallBack('again');
    expect(faults).toHaveLength(1);
  });
});
