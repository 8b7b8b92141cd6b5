// Entry of the GPU worker thread: plain JavaScript, so that it starts the same under
// `node bin/coxswain.js`, under tsx and under vitest (as ../worker-entry.mjs does for the CPU).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
