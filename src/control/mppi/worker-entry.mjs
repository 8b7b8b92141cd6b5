// Entry of an MPPI worker thread: plain JavaScript, so that it starts the same under
// `node bin/coxswain.js`, under tsx and under vitest; it loads the TypeScript worker through
// tsx, as bin/coxswain.js loads the command line.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
