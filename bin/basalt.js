#!/usr/bin/env node
'use strict';
// Durable object writes fsync in libuv's thread pool; its default of 4 threads would serialise concurrent uploads.
process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || '32';
require('../dist/src/cli.js').main(process.argv.slice(2));
