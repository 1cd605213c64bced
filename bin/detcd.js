#!/usr/bin/env node
// The detcd command. TypeScript runs through tsx so the command works right after npm install,
// with no build step; worker threads register the same loader (see sim/cli/workers.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sim/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
