'use strict';
/**
 * Runs the bundled shim handler the way the Lambda Node.js runtime does: a plain Node process
 * `require`s index.js once (a warm container) and calls `handler(event, context)` per invocation.
 * The test process sends invocations over IPC and receives the result or the error, and what the
 * handler printed with console.log.
 */
const util = require('node:util');

const bundle = process.argv[2];
let handler;

process.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return;
  for (const [k, v] of Object.entries(msg.env || {})) {
    if (v === null) delete process.env[k];
    else process.env[k] = v;
  }
  const lines = [];
  const original = console.log;
  console.log = (...args) => lines.push(util.format(...args));
  const deadline = Date.now() + (msg.timeoutMs || 60000);
  const context = {
    awsRequestId: msg.id,
    functionName: 'bedrock-guardrails-shim',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    if (!handler) handler = require(bundle).handler;
    const result = await handler(msg.event, context);
    process.send({ id: msg.id, ok: true, result: JSON.parse(JSON.stringify(result === undefined ? null : result)), lines });
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: { name: err && err.name, message: err && err.message }, lines });
  } finally {
    console.log = original;
  }
});

process.send({ type: 'ready' });
