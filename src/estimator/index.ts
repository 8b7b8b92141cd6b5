// The navigation estimator: an EKF core (pure) and the node that wires it to the bus.
export * from './options.ts';
export * from './ekf.ts';
export * from './update.ts';
export * from './adapt.ts';
export * from './node.ts';
