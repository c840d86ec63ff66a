'use strict';
/**
 * One invocation of a Lambda function's Node.js handler, as the managed runtime runs it: the
 * emulator unpacks the deployed zip into a task root, starts this script with the function's
 * environment (execution-role credentials, AWS_REGION, AWS_ENDPOINT_URL, the function's own
 * variables), passes the event on stdin, and reads the outcome from the result file.
 *
 * Arguments: <task root> <handler "file.export"> <result file> <deadline, ms since epoch> <request id>.
 * The result file gets {"ok":true,"result":...} or {"ok":false,"errorType","errorMessage","trace"},
 * the shape Lambda reports an unhandled error in. Console output is the function's log, one
 * "<time>\t<request id>\t<LEVEL>\t<message>" line per call, as the runtime writes in Text format.
 */
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');

const [taskRoot, handlerSpec, resultFile, deadlineArg, requestId] = process.argv.slice(2);
const deadline = Number(deadlineArg);

for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const label = level === 'log' ? 'INFO' : level.toUpperCase();
  console[level] = (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${label}\t${util.format(...args)}\n`);
  };
}

function finish(outcome) {
  fs.writeFileSync(resultFile, JSON.stringify(outcome));
  // Lambda freezes the sandbox once the handler's promise settles; nothing after that runs.
  process.exit(0);
}

function failure(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  return { ok: false, errorType: e.name || 'Error', errorMessage: e.message, trace: String(e.stack || '').split('\n') };
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  let event;
  try {
    event = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch (err) {
    return finish(failure(err));
  }
  const dot = handlerSpec.lastIndexOf('.');
  const moduleName = handlerSpec.slice(0, dot);
  const exportName = handlerSpec.slice(dot + 1);
  const context = {
    awsRequestId: requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: process.env.EMULATOR_INVOKED_FUNCTION_ARN,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let handler;
  try {
    handler = require(path.join(taskRoot, moduleName))[exportName];
    if (typeof handler !== 'function') throw new Error(`${handlerSpec} is undefined or not exported`);
  } catch (err) {
    const f = failure(err);
    return finish({ ...f, errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${f.errorMessage}` });
  }
  try {
    const result = await handler(event, context);
    finish({ ok: true, result: result === undefined ? null : result });
  } catch (err) {
    const f = failure(err);
    console.error(`Invoke Error \t${JSON.stringify({ errorType: f.errorType, errorMessage: f.errorMessage })}`);
    finish(f);
  }
});
