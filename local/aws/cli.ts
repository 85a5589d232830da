/**
 * `make local-up` / `make local-down`: a local AWS that outlives the command, for
 * `serverless invoke local --stage local` and for poking around with the SDK or the AWS CLI.
 * `make local-lake` copies its lake bucket's raw zone into `lake/`, for `glue/local_run.py`.
 */

import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { download } from '../demo/lake';
import {
  alreadyRunningLines,
  isProcessRunning,
  LOCAL_AWS_STATE_FILE,
  type LocalAwsState,
  readLocalAwsState,
  runningLocalAws,
  startedLines,
  writeLocalAwsState,
} from './local-aws-state';
import { startMoto } from './moto-server';
import { provisionStack } from './provision';
import { listKeys } from './s3-objects';
import { localClients } from './supplements';

async function up() {
  const previous = readLocalAwsState();
  if (previous && isProcessRunning(previous.pid)) {
    for (const line of alreadyRunningLines(previous)) console.log(line);
    return;
  }
  const moto = await startMoto({ detached: true });
  const stack = await provisionStack({ endpoint: moto.endpoint });
  const state: LocalAwsState = {
    endpoint: moto.endpoint,
    pid: moto.pid,
    region: stack.region,
    stackName: stack.stackName,
    lakeKmsKeyArn: stack.outputs.LakeKeyArn ?? '',
  };
  writeLocalAwsState(state);
  for (const line of startedLines(state)) console.log(line);
}

function down() {
  const state = readLocalAwsState();
  if (!state) {
    console.log(`no local AWS recorded in ${LOCAL_AWS_STATE_FILE}`);
    return;
  }
  if (isProcessRunning(state.pid)) process.kill(state.pid, 'SIGTERM');
  rmSync(dirname(LOCAL_AWS_STATE_FILE), { recursive: true, force: true });
  console.log(`stopped the local AWS at ${state.endpoint}`);
}

/** Copies the objects under `prefix` of the running local AWS's lake bucket to `folder`, keys as paths. */
async function copyLake(prefix: string, folder: string) {
  const running = runningLocalAws();
  if (running?.region === undefined || running.stackName === undefined) {
    console.error(
      'no local AWS from `make local-up` is running (or it predates this command): make local-down, then make local-up',
    );
    process.exitCode = 1;
    return;
  }
  const { endpoint, region, stackName } = running;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const cf = new CloudFormationClient({ endpoint, region, credentials });
  const { Stacks } = await cf.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Stacks?.[0]?.Outputs ?? [];
  const bucket = outputs.find((o) => o.OutputKey === 'LakeBucketName')?.OutputValue;
  if (!bucket) throw new Error(`stack ${stackName} has no LakeBucketName output`);
  const { s3 } = localClients(endpoint, region);
  const keys = await listKeys(s3, bucket, prefix);
  await download(s3, bucket, keys, folder);
  console.log(`copied ${keys.length} object(s) under s3://${bucket}/${prefix} to ${folder}/`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'up') await up();
else if (command === 'down') down();
else if (command === 'copy' && rest.length === 2) await copyLake(rest[0] ?? '', rest[1] ?? '');
else {
  console.error('usage: cli.ts up | down | copy <prefix> <folder>');
  process.exitCode = 2;
}
