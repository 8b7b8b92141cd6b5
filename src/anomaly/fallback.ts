// Standardisation for the classical safety net when the sidecar itself cannot be read: the
// values of the shipped model's sidecar (models/detector.json, train-detector --seed 1), copied
// here by hand so that the classical detectors always have a scale.
export const FALLBACK_NORMALISATION: { mean: number[]; std: number[] } = {
  mean: [0.008561, -0.001146, -0.01497, 0.5479, 0.1675, -0.005828, 0.5036, 1.537, -0.02154, 1.323, 1.608, -0.0007396, 0.000005565, 0.000005504, -0.003572, 0.000006062, 0.1231, 0.04109, 0, 1.119, 0.9967, 0.9934, 1.171, 0, 0.0002307, 0.001807, 0.001801, 21.95, 0.07656, 41.9],
  std: [0.3605, 0.1083, 0.2254, 7.334, 0.5, 0.1007, 0.1741, 0.5067, 0.2657, 14.62, 1.041, 0.04745, 0.0005324, 0.0002625, 0.118, 0.000231, 0.5, 0.1, 0.1, 0.141, 0.5206, 0.1756, 0.6822, 0.02, 0.05, 0.02, 0.01244, 1, 0.2949, 1],
};
