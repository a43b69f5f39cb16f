#!/usr/bin/env node
// A command is over in a second or two, too short for TurboFan's inlining to repay the compile time it costs on the
// second core, which the render shares with its writer thread: without it the 511-cluster mesh renders about a tenth
// faster on 0.3 CPU s less (BENCHMARKS.md). Set before any of meshfleet's code is loaded, so that all of it is compiled so.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-turbo-inlining');
// The AWS SDK's nine-line warning about Node versions is for the SDK's own users, not meshfleet's (`meshfleet dns`).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../build/meshfleet.mjs');
process.exitCode = await main(process.argv.slice(2));
