// Standardisation for the classical safety net when the sidecar itself cannot be read: the
// values of the shipped model's sidecar (models/detector.json, train-detector --seed 1), copied
// here by hand so that the classical detectors always have a scale.
export const FALLBACK_NORMALISATION: { mean: number[]; std: number[] } = {
  mean: [0.02462, 0.003339, -0.0139, 0.5133, 0.4881, 1.5, -0.00734, 0.4428, 0.0001515, 0.0001504, -0.006188, 0.0001763, 0.0, 1.119, 0.8323, 0.9933, 0.0002145, 0.001903, 0.001892, 21.76],
  std: [0.3789, 0.1121, 0.2276, 7.427, 0.1928, 0.5523, 0.2737, 15.02, 0.001287, 0.001122, 0.118, 0.09502, 0.1, 0.141, 0.4524, 0.1756, 0.05, 0.02, 0.01266, 2.019],
};
