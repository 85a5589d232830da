/**
 * `make demo`: the whole pipeline on the local AWS, on generated events, with a summary.
 *
 * Kinesis (generated JSON/CSV/Avro records, some poison) → the local runtime → ingest → the lake
 * (raw Parquet + quarantine) → S3 events → startCrawler (partitions registered, crawler started)
 * → a DuckDB query over the lake → the curate job on local Spark → its "Glue Job State Change"
 * event → jobEvents (SNS, Step Functions, EC2).
 *
 * RECORDS (default 5000), SHARDS (default: the stage's ingestShardCount), SEED (default fixed).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  GetCrawlerCommand,
  GetPartitionsCommand,
  GetTablesCommand,
  GlueClient,
  ListCrawlsCommand,
} from '@aws-sdk/client-glue';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { kinesisClientConfig } from '../shared/aws/clients';
import { intEnv } from '../shared/config';
import { startMoto } from './aws/moto-server';
import { provisionStack } from './aws/provision';
import { listKeys } from './aws/s3-objects';
import { readTemplate } from './aws/template';
import { announceJobRun, executionsOf, instancesForRun } from './demo/fanout';
import { download, quarantineReasons, rawLayout } from './demo/lake';
import { runPythonJson } from './demo/python';
import { generateRecords } from './runtime/generate';
import { LocalRuntime } from './runtime/local-runtime';
import { putRecordsStreaming } from './runtime/producer';
import { startProgress } from './runtime/progress';
import { formatReport } from './runtime/report';

const RECORDS = intEnv(process.env, 'RECORDS', 5000, { min: 1 });
const SHARDS = intEnv(process.env, 'SHARDS', 0, { min: 0, max: 64 });
const SEED = intEnv(process.env, 'SEED', 20261124);
const POISON_EVERY = 97;

const heading = (text: string) => console.log(`\n== ${text}`);
const table = (rows: readonly object[]) =>
  rows.length ? console.table(rows) : console.log('  (none)');

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((p) => join(root, p))
    .filter((p) => statSync(p).isFile());
}

async function main() {
  const started = Date.now();
  heading('Local AWS');
  const moto = await startMoto();
  const template = readTemplate();
  const stream = template.Resources.IngestStream;
  if (SHARDS && stream?.Properties) {
    stream.Properties.ShardCount = SHARDS;
    console.log(`[demo] SHARDS=${SHARDS} overrides the stream's shard count for this run`);
  }
  const stack = await provisionStack({ endpoint: moto.endpoint, template });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: stack.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  const clients = {
    s3: new S3Client({ forcePathStyle: true }),
    glue: new GlueClient(),
    kinesis: new KinesisClient(kinesisClientConfig()),
    events: new EventBridgeClient(),
    sfn: new SFNClient(),
    ec2: new EC2Client(),
    sns: new SNSClient(),
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
  };
  const lake = stack.resources.LakeBucket ?? '';
  const streamName = stack.resources.IngestStream ?? '';
  console.log(`local AWS at ${moto.endpoint}; stack ${stack.stackName}; lake s3://${lake}`);

  const runtime = await LocalRuntime.fromStack(stack, {
    pollIntervalMs: 100,
    environment: { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' },
  });

  heading(`Ingest: ${RECORDS} generated records (1 in ${POISON_EVERY} poison) → ${streamName}`);
  await runtime.startStreams();
  let produced = 0;
  const progress = startProgress({
    total: RECORDS,
    mode: RECORDS >= 20_000 ? 'auto' : 'off',
    sample: () => ({ ...runtime.progress(), produced }),
  });
  const put = await putRecordsStreaming(
    clients.kinesis,
    streamName,
    generateRecords({ count: RECORDS, seed: SEED, poisonEvery: POISON_EVERY }),
    // One call at a time: concurrent calls are safe on the local AWS (a lock per shard) but no faster.
    { concurrency: 1, onProgress: (n) => (produced = n) },
  );
  const ingestReport = await runtime.drainStreams({ timeoutMs: Math.max(180_000, RECORDS * 5) });
  progress.stop();
  console.log(`put ${put.records} records in ${put.calls} PutRecords calls (${put.durationMs} ms)`);
  console.log(formatReport(ingestReport));

  heading('The lake');
  const rawKeys = await listKeys(clients.s3, lake, 'raw/');
  const quarantineKeys = await listKeys(clients.s3, lake, 'quarantine/');
  table(rawLayout(rawKeys));
  console.log('quarantined records by dataset and reason:');
  const quarantined = await quarantineReasons(clients.s3, lake, quarantineKeys);
  table(Object.entries(quarantined).map(([reason, records]) => ({ reason, records })));

  heading('Catalog: S3 events → startCrawler');
  const crawler = stack.resources.RawCrawler ?? '';
  const database = stack.resources.GlueDatabase ?? '';
  // The local Glue moves a crawl from RUNNING to done only when crawls are listed.
  const tick = setInterval(
    () => void clients.glue.send(new ListCrawlsCommand({ CrawlerName: crawler })).catch(() => {}),
    500,
  );
  await runtime.drainQueues({ timeoutMs: Math.max(120_000, rawKeys.length * 100) });
  clearInterval(tick);
  const crawls = (await clients.glue.send(new ListCrawlsCommand({ CrawlerName: crawler }))).Crawls;
  const state = (await clients.glue.send(new GetCrawlerCommand({ Name: crawler }))).Crawler?.State;
  console.log(
    `${rawKeys.length} new objects → crawler ${crawler} started ${crawls?.length ?? 0} time(s) (now ${state})`,
  );
  const { TableList = [] } = await clients.glue.send(
    new GetTablesCommand({ DatabaseName: database }),
  );
  const partitions = [];
  for (const t of TableList.filter((t) => !t.Name?.startsWith('curated_'))) {
    const { Partitions = [] } = await clients.glue.send(
      new GetPartitionsCommand({ DatabaseName: database, TableName: t.Name }),
    );
    const projection = t.Parameters?.['projection.enabled'] === 'true';
    partitions.push({
      table: `${database}.${t.Name}`,
      mode: projection ? 'registered, and projected for Athena' : 'registered',
      partitions: Partitions.length,
    });
  }
  table(partitions);

  heading('Query over the lake (DuckDB, hive partitioning)');
  const work = mkdtempSync(join(tmpdir(), 'streamlake-demo-'));
  await download(clients.s3, lake, rawKeys, work);
  const query = runPythonJson<{ partitions: object[] }>(['local/query_lake.py', work]);
  table(query.partitions);

  heading('Glue curate job on local Spark (raw → curated clickstream)');
  const curated = join(work, 'curated', 'clickstream');
  const summary = runPythonJson<Record<string, unknown>>([
    'glue/local_run.py',
    'curate',
    '--raw',
    join(work, 'raw', 'clickstream'),
    '--curated',
    curated,
  ]);
  console.log(JSON.stringify(summary));
  const curatedFiles = filesUnder(curated).filter((f) => f.endsWith('.parquet'));
  for (const file of curatedFiles)
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: lake,
        Key: `curated/clickstream/${relative(curated, file)}`,
        Body: readFileSync(file),
      }),
    );
  console.log(`wrote ${curatedFiles.length} curated file(s) to s3://${lake}/curated/clickstream/`);

  heading('Glue compact job on local Spark (the small raw files of clickstream, a local copy)');
  const rawCopy = join(work, 'raw', 'clickstream');
  const before = filesUnder(rawCopy).filter((f) => f.endsWith('.parquet')).length;
  const compacted = runPythonJson<Record<string, unknown>>([
    'glue/local_run.py',
    'compact',
    '--table',
    rawCopy,
  ]);
  const after = filesUnder(rawCopy).filter((f) => f.endsWith('.parquet')).length;
  console.log(JSON.stringify(compacted));
  console.log(`clickstream files: ${before} → ${after}, rows unchanged (checked by the job)`);

  heading('Job-state fan-out (Glue Job State Change → jobEvents)');
  const { QueueUrl = '' } = await clients.sqs.send(
    new CreateQueueCommand({ QueueName: 'demo-job-notifications' }),
  );
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: stack.outputs.JobNotificationsTopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  const job = `streamlake-${stack.stackName.split('-').pop()}-curate`;
  const succeeded = await announceJobRun(clients, {
    name: job,
    state: 'SUCCEEDED',
    message: `curate wrote ${curatedFiles.length} file(s)`,
  });
  // curate is retried once by Glue (MaxRetries 1): the first failed attempt is only announced,
  // the failed retry launches the post-processing instance.
  const firstAttempt = await announceJobRun(clients, {
    name: job,
    state: 'FAILED',
    message: 'demo: a failed attempt, which Glue retries',
  });
  const failed = await announceJobRun(clients, {
    name: job,
    state: 'FAILED',
    message: 'demo: the retry failed too, to show the EC2 action',
    retryOf: firstAttempt,
  });
  const fanoutReport = await runtime.drainQueues({ timeoutMs: 60_000 });
  if (process.env.DEMO_DEBUG) console.log(JSON.stringify(fanoutReport, null, 1));
  const { Messages = [] } = await clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const executions = await executionsOf(clients.sfn, stack.outputs.PostEtlStateMachineArn ?? '');
  const instances = await instancesForRun(clients.ec2, failed);
  table([
    { action: 'SNS notifications received', result: Messages.length },
    { action: `Step Functions executions (run ${succeeded})`, result: JSON.stringify(executions) },
    {
      action: `EC2 instances launched (first attempt ${firstAttempt})`,
      result: (await instancesForRun(clients.ec2, firstAttempt)).length,
    },
    { action: `EC2 instances launched (last attempt ${failed})`, result: instances.length },
  ]);

  heading('Summary');
  const report = runtime.report();
  const committed = report.shards.reduce((n, s) => n + s.committed, 0);
  table([
    { what: 'records put on the stream', value: put.records },
    { what: 'records through ingest (committed at the checkpoint)', value: committed },
    { what: 'Parquet files written', value: rawKeys.length },
    { what: 'partitions written', value: rawLayout(rawKeys).reduce((n, d) => n + d.partitions, 0) },
    { what: 'quarantined records', value: Object.values(quarantined).reduce((a, b) => a + b, 0) },
    { what: 'batches given up (on-failure queue)', value: report.onFailure.length },
    { what: 'crawler runs', value: crawls?.length ?? 0 },
    {
      what: 'fan-out: notifications / executions / instances',
      value: `${Messages.length} / ${executions.length} / ${instances.length}`,
    },
    { what: 'seconds', value: Math.round((Date.now() - started) / 1000) },
  ]);
  await runtime.stop();
  rmSync(work, { recursive: true, force: true });
  await moto.stop();
  // What the run must show (make test runs the demo): say each broken promise, and fail.
  const broken = [
    committed === put.records ? '' : `${put.records - committed} record(s) put but not committed`,
    report.onFailure.length === 0 ? '' : `${report.onFailure.length} batch(es) given up`,
    rawKeys.length > 0 ? '' : 'no Parquet file written',
    (crawls?.length ?? 0) > 0 ? '' : 'the crawler never started',
    executions.length === 1 ? '' : `${executions.length} post-ETL executions, expected 1`,
    instances.length === 1 ? '' : `${instances.length} instances for the last attempt, expected 1`,
  ].filter(Boolean);
  for (const line of broken) console.error(`demo: ${line}`);
  if (broken.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
