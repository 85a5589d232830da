import { spawn } from 'node:child_process';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from '../../../local/aws/s3-objects';
import { readLake } from '../../helpers/ingest-lake';
import { arnOf, type LocalStack, useLocalAws } from '../../helpers/local-aws';

/**
 * The README's local invocation, run as a user would: `serverless invoke local --stage local`
 * against the local AWS, with the endpoint and dummy credentials in the environment (without
 * credentials serverless hangs looking for them). Serverless v3 invoke local resolves a `Ref` in
 * the function's environment through CloudFormation (the local stack), but not `Fn::GetAtt`: the
 * lake key's ARN is handed over as the `lakeKmsKeyArn` param.
 */

const FIXTURE = 'test/fixtures/kinesis/clickstream-happy.json';
const HAPPY_KEY =
  'raw/clickstream/dt=2026-11-24/hour=13/shardId-000000000000-49657328148350128938227153648127638469728451730957500418.parquet';

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end, collecting its output. */
function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<Exit>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The invocation's response: the pretty-printed JSON serverless prints last. */
function responseOf(stdout: string): unknown {
  const start = stdout.lastIndexOf('\n{\n');
  return start === -1 ? undefined : JSON.parse(stdout.slice(start));
}

let stack: LocalStack;
let s3: S3Client;
let bucket: string;
let keyArn: string;

describe('Function: ingest through serverless invoke local', () => {
  beforeAll(async () => {
    stack = await useLocalAws();
    bucket = stack.resources.LakeBucket ?? '';
    keyArn = arnOf(stack, 'LakeKey');
    s3 = new S3Client({ forcePathStyle: true });
  });

  it('writes the happy-path fixture to the local lake bucket', { timeout: 90_000 }, async () => {
    // Prepare
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL: stack.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const command = ['--no-install', 'serverless', 'invoke', 'local', '--stage', 'local'];
    const args = [...command, '-f', 'ingest', '-p', FIXTURE, '--param', `lakeKmsKeyArn=${keyArn}`];

    // Act
    const exit = await runCommand('npx', args, env);

    // Assess
    expect(exit.code, `invoke local failed:\n${exit.stdout}\n${exit.stderr}`).toBe(0);
    expect(responseOf(exit.stdout)).toEqual({ batchItemFailures: [] });
    expect(await listKeys(s3, bucket, '')).toEqual([HAPPY_KEY]);
    const lake = await readLake(s3, bucket);
    expect(lake.raw[HAPPY_KEY]?.rows.map((row) => [row.event_id, row._sequence_number])).toEqual([
      ['evt-0001', '49657328148350128938227153648127638469728451730957500418'],
      ['evt-0002', '49657328148350128938227153648127638469738451730957500418'],
      ['evt-0003', '49657328148350128938227153648127638469748451730957500418'],
    ]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: HAPPY_KEY }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual(['aws:kms', keyArn]);
  });
});
