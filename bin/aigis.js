#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script),
// bundled when the build could (src/bundle/launch.ts).
import { loadMain } from '../dist/src/bundle/launch.js';

// A reader that stops early (`aigis frameworks | head`) closes the pipe: stop quietly, as tools
// killed by SIGPIPE do, instead of an unhandled EPIPE error with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const main = await loadMain();
const code = await main(process.argv.slice(2));
process.exitCode = code;
