#!/usr/bin/env node
// Entry of the `letan` command: TypeScript sources run through tsx's loader
// (no build step), so `npx letan` works straight after `npm ci`.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
