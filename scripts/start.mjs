#!/usr/bin/env node
// `npm start`: install what is needed, build the web client, start one node on embedded PGlite.
import { spawn } from 'node:child_process';
import { pnpm } from './pnpm.mjs';

console.log('→ installing dependencies (pnpm 12.4.2)…');
pnpm(['install', '--frozen-lockfile', '--reporter=silent']);
console.log('→ building the web client…');
pnpm(['--filter', '@imw/web-client', 'run', 'build', '--logLevel', 'warn']);
console.log('→ starting the server…');
const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
