#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx so that a clone runs without a build step.
// Process-level containment: an uncaught exception or an unhandled rejection anywhere zeroes
// every registered thruster first, then reports and exits non-zero; never thrusters left on.
import { register } from 'tsx/esm/api';

register();
const { emergencyStop } = await import('../src/supervisor/emergency.ts');
const contain = (what) => (error) => {
  const zeroed = emergencyStop();
  process.stderr.write(`coxswain: ${what}; thrust zeroed on ${zeroed} output(s); exiting\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(70);
};
process.on('uncaughtException', contain('uncaught exception'));
process.on('unhandledRejection', contain('unhandled rejection'));
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
