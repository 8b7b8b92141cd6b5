import { describe, expect, it } from 'vitest';
import { backward, forward, initModel, LAYOUT, newActivations, prepareInput } from '../../src/anomaly/model.ts';
import { FEATURE_COUNT, NODE_COUNT, normalisedAdjacency } from '../../src/anomaly/graph.ts';
import { Rng } from '../../sim/random.ts';

describe('graph model', () => {
  const rng = new Rng(7, 'test');
  const model = initModel(() => rng.uniform());
  for (let k = 0; k < model.centres.length; k++) model.centres[k] = rng.range(-0.5, 0.5);
  // Floors on both sides of the inputs, so that the excursion term is active for some and not for others.
  for (let k = 0; k < model.inputFloor.length; k++) model.inputFloor[k] = rng.range(0, 1.5);
  const x = Float64Array.from({ length: FEATURE_COUNT }, () => rng.range(-2, 2));

  it('has a few thousand parameters', () => {
    // 5 nodes x (16x6 + 16 + 2 x 8x16 + 8 + 6) = 5 x 382 = 1910
    expect(LAYOUT.size).toBe(1910);
  });

  it('averages each node over its physical neighbours', () => {
    const a = normalisedAdjacency();
    // thruster (0) couples to stuck (1) and heading (2): 1/2 each
    expect(a[0 * NODE_COUNT + 1]).toBe(0.5);
    expect(a[0 * NODE_COUNT + 2]).toBe(0.5);
    // gnss (3) couples to stuck, heading and sonar: 1/3 each
    expect(a[3 * NODE_COUNT + 4]).toBeCloseTo(1 / 3, 12);
    expect(a[3 * NODE_COUNT + 0]).toBe(0);
  });

  it('back-propagates the gradient that finite differences measure', () => {
    const act = newActivations();
    const g = Float64Array.from({ length: NODE_COUNT }, (_, i) => 0.3 + 0.1 * i);
    const loss = () => {
      const s = forward(model, x, act);
      let l = 0;
      for (let i = 0; i < NODE_COUNT; i++) l += g[i] * s[i];
      return l;
    };
    loss();
    const grad = new Float64Array(LAYOUT.size);
    backward(model, x, act, g, grad, new Float64Array(act.h.length), new Float64Array(act.m.length));
    const probe = [LAYOUT.w1 + 3, LAYOUT.b1 + 17, LAYOUT.w2 + 100, LAYOUT.w3 + 333, LAYOUT.b2 + 21, LAYOUT.w1 + 250, LAYOUT.g + 4, LAYOUT.g + 27];
    for (const k of probe) {
      const keep = model.params[k];
      const h = 1e-6;
      model.params[k] = keep + h;
      const up = loss();
      model.params[k] = keep - h;
      const down = loss();
      model.params[k] = keep;
      expect(grad[k]).toBeCloseTo((up - down) / (2 * h), 5);
    }
  });

  it('compresses standardised inputs with sign(z) ln(1 + |z|)', () => {
    const out = prepareInput([3, -1, 1], [1, 1, 1], [2, 2, 1], new Float64Array(3));
    // z = (3-1)/2 = 1 -> ln 2; z = (-1-1)/2 = -1 -> -ln 2; z = 0 -> 0
    expect(Array.from(out)).toEqual([Math.log(2), -Math.log(2), 0]);
  });
});
