#!/usr/bin/env node
import { main } from '../build/meshfleet.mjs';

process.exitCode = await main(process.argv.slice(2));
