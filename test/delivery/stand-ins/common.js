'use strict';
// Shared by the stand-ins: the state directory, the recorded calls, the configuration of a run.
const fs = require('fs');
const path = require('path');

const STATE = process.env.STANDIN_STATE;
if (!STATE) {
  process.stderr.write('stand-in: STANDIN_STATE is not set\n');
  process.exit(99);
}

function record(tool, args, extra) {
  fs.appendFileSync(path.join(STATE, 'calls.jsonl'), JSON.stringify({ tool, args, ...extra }) + '\n');
}

function config() {
  return JSON.parse(fs.readFileSync(path.join(STATE, 'config.json'), 'utf8'));
}

function readState(name, fallback) {
  const file = path.join(STATE, name);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : fallback;
}

function writeState(name, value) {
  fs.writeFileSync(path.join(STATE, name), JSON.stringify(value, null, 2));
}

function fail(message, code) {
  process.stderr.write(message + '\n');
  process.exit(code);
}

module.exports = { STATE, record, config, readState, writeState, fail };
