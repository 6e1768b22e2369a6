#!/usr/bin/env node
// `npm start`: install what is needed, build the web client and the server, start one node on
// embedded PGlite. The server runs as plain JavaScript (server/dist/main.js); tsx is for tests and
// `npm run dev` only.
import { spawn } from 'node:child_process';
import { pnpm, run } from './pnpm.mjs';

console.log('→ installing dependencies (pnpm 12.4.2)…');
pnpm(['install', '--frozen-lockfile', '--reporter=silent']);
console.log('→ building the web client…');
pnpm(['--filter', '@imw/web-client', 'run', 'build', '--logLevel', 'warn']);
console.log('→ building the server…');
run(process.execPath, ['server/build.mjs']);
console.log('→ starting the server…');
const child = spawn(process.execPath, ['server/dist/main.js'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
