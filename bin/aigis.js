#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script),
// bundled when the build could (src/bundle/launch.ts).
import { loadMain } from '../dist/src/bundle/launch.js';

const main = await loadMain();
const code = await main(process.argv.slice(2));
process.exitCode = code;
