#!/usr/bin/env node
import { runAsProcess } from './run-as-process';
import { runCli } from './run-cli';

runAsProcess((output) => runCli(process.argv.slice(2), output));
