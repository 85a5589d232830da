/**
 * `npm run redrive -- <quarantine|failures> [options]`: re-ingest what the pipeline set aside.
 *
 *   quarantine  re-runs quarantined records through today's decoder (after a fix: a new dataset,
 *               a relaxed schema, a larger INGEST_MAX_RECORD_BYTES); those that now pass go to
 *               raw/ with their original lineage and move to quarantine/_redriven/.
 *   failures    for each message of the ingest on-failure queue, reads the batch's sequence range
 *               back from the stream (while it is retained) and ingests it; deletes the message.
 *
 * Options: --stage <local|dev|prod> (default local), --stack <name> (default streamlake-<stage>),
 * --endpoint <url> (default AWS_ENDPOINT_URL, or the running `make local-up` for local),
 * --region, --folder <dataset|_unknown> (repeatable, quarantine only), --dry-run (quarantine only).
 * It uses the deployed ingest function's configuration (bucket, key, size bound). Running it twice
 * adds nothing. The runbook is in the README ("Redrive").
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { kinesisClientConfig, s3ClientConfig, sqsClientConfig } from '../shared/aws/clients';
import { datasets } from '../shared/datasets';
import { loadIngestConfig } from '../shared/ingest/config';
import { lakeWriteRequestHandler, s3LakeWriter } from '../shared/lake/writer';
import { compileRegistry } from '../shared/records/registry';
import { redriveFailureQueue } from '../shared/redrive/failure-queue';
import { lakeIngest } from '../shared/redrive/lake-ingest';
import { redriveQuarantine } from '../shared/redrive/quarantine';
import { runningLocalAws } from './aws/local-aws-state';

const USAGE =
  'usage: npm run redrive -- <quarantine|failures> [--stage local] [--stack name] [--endpoint url] [--folder name] [--dry-run]';

async function stackResources(
  cf: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  const resources: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await cf.send(new ListStackResourcesCommand({ StackName: stackName, NextToken }));
    for (const r of page.StackResourceSummaries ?? [])
      if (r.LogicalResourceId && r.PhysicalResourceId)
        resources[r.LogicalResourceId] = r.PhysicalResourceId;
    NextToken = page.NextToken;
  } while (NextToken);
  return resources;
}

export interface RedriveCliOptions {
  /** Where errors go (stderr). */
  readonly printError?: (line: string) => void;
  /** The endpoint of the local AWS `make local-up` left running, if one runs. */
  readonly localAwsEndpoint?: () => string | undefined;
}

/** Runs the CLI; returns the exit code (1 when something was left behind or cannot start). */
export async function main(
  argv: readonly string[],
  env = process.env,
  print = console.log,
  {
    printError = console.error,
    localAwsEndpoint = () => runningLocalAws()?.endpoint,
  }: RedriveCliOptions = {},
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      stage: { type: 'string', default: 'local' },
      stack: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      folder: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const command = positionals[0];
  if (command !== 'quarantine' && command !== 'failures') {
    print(USAGE);
    return 2;
  }
  const endpoint =
    values.endpoint ??
    env.AWS_ENDPOINT_URL ??
    (values.stage === 'local' ? localAwsEndpoint() : undefined);
  if (values.stage === 'local' && endpoint === undefined) {
    // Without an endpoint the SDK would go to real AWS, and fail there on missing credentials.
    printError('error: no local AWS is running; start one with `make local-up`');
    return 1;
  }
  const local = endpoint !== undefined;
  const base = {
    region: values.region ?? env.AWS_REGION ?? 'us-east-1',
    ...(local ? { endpoint } : {}),
    ...(local && !env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }
      : {}),
  };
  const overrides = local ? { AWS_ENDPOINT_URL: endpoint } : {};
  const s3 = new S3Client({
    ...base,
    ...s3ClientConfig(overrides),
    requestHandler: lakeWriteRequestHandler(),
  });
  const sqs = new SQSClient({ ...base, ...sqsClientConfig(overrides) });
  const kinesis = new KinesisClient({ ...base, ...kinesisClientConfig(overrides) });
  const stackName = values.stack ?? `streamlake-${values.stage}`;
  const resources = await stackResources(new CloudFormationClient(base), stackName);
  const fn = await new LambdaClient(base).send(
    new GetFunctionConfigurationCommand({ FunctionName: resources.IngestLambdaFunction }),
  );
  const config = loadIngestConfig(fn.Environment?.Variables ?? {});
  const registry = compileRegistry(datasets);
  if (command === 'quarantine') {
    const summary = await redriveQuarantine({
      s3,
      bucket: config.lake.bucket,
      writer: s3LakeWriter(s3, config.lake),
      registry,
      maxRecordBytes: config.maxRecordBytes,
      folders: values.folder,
      dryRun: values['dry-run'],
    });
    print(
      JSON.stringify({ command, stack: stackName, dryRun: values['dry-run'], ...summary }, null, 2),
    );
    return 0;
  }
  const queueName = (resources.IngestFailureQueue ?? '').split('/').pop();
  const { QueueUrl = '' } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const summary = await redriveFailureQueue({
    sqs,
    queueUrl: QueueUrl,
    kinesis,
    ingest: lakeIngest(s3, config, registry),
    // AWS needs long polling to tell an empty queue; the local AWS answers every short poll whole.
    ...(local ? { waitTimeSeconds: 0 } : {}),
  });
  print(JSON.stringify({ command, stack: stackName, ...summary }, null, 2));
  return summary.failed.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2));
