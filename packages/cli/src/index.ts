#!/usr/bin/env node
// Entry point of the `sightline` bin: everything else lives in cli.ts so tests can call main().
import { main } from './cli.js'
import { processIo } from './command.js'

process.exitCode = await main(process.argv.slice(2), processIo())
