#!/usr/bin/env node
// The curator CLI's entry point: registers tsx so Node 20 can run the TypeScript sources, then hands over to cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../cli/main.ts');
process.exitCode = await run(process.argv.slice(2));
