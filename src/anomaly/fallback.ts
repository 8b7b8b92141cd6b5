// Standardisation for the classical safety net when the sidecar itself cannot be read: the
// values of the shipped model's sidecar (models/detector.json, train-detector --seed 1), copied
// here by hand so that the classical detectors always have a scale.
export const FALLBACK_NORMALISATION: { mean: number[]; std: number[] } = {
  mean: [0.02552, 0.003245, -0.01568, 0.5827, 0.4901, 1.503, -0.01156, 0.7051, 4.894e-5, 4.805e-5, -0.00579, 4.955e-5, 0.0, 1.119, 0.9966, 0.9935, 0.0002145, 0.001903, 0.001892, 21.76],
  std: [0.3805, 0.1129, 0.2282, 7.453, 0.1883, 0.5477, 0.2622, 14.32, 0.0008347, 0.0005444, 0.1195, 0.0004273, 0.1, 0.141, 0.5201, 0.1756, 0.05, 0.02, 0.01266, 2.019],
};
