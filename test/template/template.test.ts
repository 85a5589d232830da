import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { CfnResource, CfnTemplate } from '../../local/aws/template';
import { longestLakeWriteMs } from '../../shared/lake/writer';

// The packaged prod template, as `serverless deploy --stage prod` would submit it.
const template = JSON.parse(
  readFileSync('build/prod/cloudformation-template-update-stack.json', 'utf8'),
) as CfnTemplate;
const resources = Object.entries(template.Resources);
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}
const asList = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function roleStatements(role: CfnResource): Statement[] {
  const policies = (role.Properties?.Policies ?? []) as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>;
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

/**
 * Actions AWS does not scope to a resource (the service authorization reference lists no
 * resource type for them), so `Resource: '*'` is the only possible value.
 */
const UNSCOPED_ACTIONS: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray trace upload has no resource type',
  'xray:PutTelemetryRecords': 'X-Ray telemetry has no resource type',
  'cloudwatch:PutMetricData': 'metrics are not resources; scoped by a namespace condition',
  'ec2:DescribeInstances': 'Describe* actions have no resource type',
  'logs:CreateLogDelivery': 'Step Functions log delivery: documented as Resource "*" only',
  'logs:GetLogDelivery': 'Step Functions log delivery: documented as Resource "*" only',
  'logs:UpdateLogDelivery': 'Step Functions log delivery: documented as Resource "*" only',
  'logs:DeleteLogDelivery': 'Step Functions log delivery: documented as Resource "*" only',
  'logs:ListLogDeliveries': 'Step Functions log delivery: documented as Resource "*" only',
  'logs:PutResourcePolicy': 'Step Functions log delivery: documented as Resource "*" only',
  'logs:DescribeResourcePolicies': 'Step Functions log delivery: documented as Resource "*" only',
  'logs:DescribeLogGroups': 'Step Functions log delivery: documented as Resource "*" only',
  'xray:GetSamplingRules': 'X-Ray sampling has no resource type',
  'xray:GetSamplingTargets': 'X-Ray sampling has no resource type',
  'ec2:DescribeLaunchTemplates': 'Describe* actions have no resource type',
  'ec2:DescribeLaunchTemplateVersions': 'Describe* actions have no resource type',
};

/**
 * The source condition keys (aws:SourceAccount, aws:SourceArn) each service principal is
 * documented to send, by the service whose action it calls. A positive condition on a key the
 * caller does not send is false: a crawler that cannot assume its role, dead letters dropped
 * unseen. A pair not listed here may carry no source condition at all.
 */
const DOCUMENTED_SOURCE_KEYS: Record<string, string> = {
  'states.amazonaws.com sts': 'Step Functions guide: the state machine role trust policy',
  's3.amazonaws.com sqs': 'S3 guide: permissions to publish event notifications',
  's3.amazonaws.com kms': 'SQS guide: key management, services that send the source keys',
  'sns.amazonaws.com kms': 'SQS and SNS guides: key management',
  'cloudwatch.amazonaws.com kms': 'SNS guide: key management, CloudWatch alarms',
  'events.amazonaws.com sqs': 'EventBridge guide: a dead-letter queue for a rule target',
  'logging.s3.amazonaws.com s3': 'S3 guide: server access logging bucket policy',
};
const SOURCE_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn']);

/** Every statement with a service principal, wherever it is in the template. */
function serviceStatements(value: unknown, where: string, found: Array<[string, Statement]>): void {
  if (Array.isArray(value)) for (const item of value) serviceStatements(item, where, found);
  else if (value !== null && typeof value === 'object') {
    const statement = value as Statement & { Principal?: { Service?: unknown } };
    if (statement.Effect && statement.Principal?.Service) found.push([where, statement]);
    else for (const item of Object.values(value)) serviceStatements(item, where, found);
  }
}

/** Resource ARN strings found anywhere in a (possibly intrinsic) value. */
function mentionsArn(value: unknown, needle: string): boolean {
  return JSON.stringify(value ?? null).includes(needle);
}

describe('Packaged template: prod', () => {
  it('gives every function its own role', () => {
    // Prepare
    const functions = ofType('AWS::Lambda::Function').filter(
      ([id]) => !id.startsWith('CustomDash'), // Serverless' own custom-resource helper, if any
    );
    // Assess
    expect(functions.length).toBeGreaterThan(0);
    const roles = functions.map(([, fn]) => JSON.stringify(fn.Properties?.Role));
    expect(new Set(roles).size).toBe(functions.length);
    for (const role of roles) expect(role).not.toContain('"IamRoleLambdaExecution"');
  });

  it('has no role that nothing uses (the default Lambda role included)', () => {
    const roles = ofType('AWS::IAM::Role').map(([id]) => id);
    expect(roles.length).toBeGreaterThan(0);
    expect(roles).not.toContain('IamRoleLambdaExecution');
    for (const role of roles) {
      const { [role]: _self, ...others } = template.Resources;
      expect(JSON.stringify(others), `${role} is referred to`).toContain(`"${role}"`);
    }
  });

  it('grants no wildcard actions and "*" resources only for actions AWS does not scope', () => {
    // every role's permissions are inline statements, which is what this test reads
    expect(ofType('AWS::IAM::Policy')).toEqual([]);
    expect(ofType('AWS::IAM::ManagedPolicy')).toEqual([]);
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      expect(role.Properties?.ManagedPolicyArns ?? [], `${id}: no managed policies`).toEqual([]);
      expect(roleStatements(role).length, `${id} has statements`).toBeGreaterThan(0);
      for (const statement of roleStatements(role)) {
        if (statement.Effect !== 'Allow') continue;
        for (const action of asList(statement.Action)) {
          expect(action, `${id}: ${action}`).not.toBe('*');
          expect(action, `${id}: ${action}`).not.toMatch(/^[a-z0-9-]+:\*$/);
        }
        if (asList(statement.Resource).includes('*'))
          for (const action of asList(statement.Action))
            expect(Object.keys(UNSCOPED_ACTIONS), `${id}: ${action} on "*"`).toContain(action);
      }
    }
  });

  it('keeps the lake bucket, its policy and its key when the stack is removed or they are replaced', () => {
    // Act
    const policies = ['LakeBucket', 'LakeBucketPolicy', 'LakeKey'].map((id) => {
      const resource = template.Resources[id] as CfnResource & {
        DeletionPolicy?: string;
        UpdateReplacePolicy?: string;
      };
      return [id, resource.DeletionPolicy, resource.UpdateReplacePolicy];
    });

    // Assess: a deleted key makes every object of the lake unreadable for good
    expect(policies).toEqual([
      ['LakeBucket', 'Retain', 'Retain'],
      ['LakeBucketPolicy', 'Retain', 'Retain'],
      ['LakeKey', 'Retain', 'Retain'],
    ]);
  });

  it('alarms on quarantined records under the dimensions ingest emits them with', () => {
    // Act
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties?.MetricName === 'Quarantined',
    );

    // Assess: service and function, as test/unit/handlers/ingest.test.ts sees them emitted
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.[1].Properties).toMatchObject({
      Namespace: 'streamlake',
      Dimensions: [
        { Name: 'service', Value: 'streamlake' },
        { Name: 'function', Value: { Ref: 'IngestLambdaFunction' } },
      ],
      Statistic: 'Sum',
      Threshold: 0,
    });
  });

  it('gives ingest time for two waves of its longest write', () => {
    // Prepare
    const ingest = template.Resources.IngestLambdaFunction;

    // Act
    const timeoutSeconds = Number(ingest?.Properties?.Timeout);

    // Assess: below one longest write, ingest would defer every write and never commit
    expect(timeoutSeconds * 1000).toBeGreaterThanOrEqual(2 * longestLakeWriteMs());
  });

  it('lets each function write to its own on-failure destinations', () => {
    const destinations: Array<[fnRole: unknown, arn: unknown, what: string]> = [];
    for (const [id, mapping] of ofType('AWS::Lambda::EventSourceMapping')) {
      const dest = (
        mapping.Properties?.DestinationConfig as { OnFailure?: { Destination: unknown } }
      )?.OnFailure?.Destination;
      if (!dest) continue;
      const fnRef = JSON.stringify(mapping.Properties?.FunctionName);
      const fn = resources.find(
        ([fid, r]) => r.Type === 'AWS::Lambda::Function' && fnRef.includes(fid),
      );
      destinations.push([fn?.[1].Properties?.Role, dest, `${id} (event source)`]);
    }
    for (const [id, config] of ofType('AWS::Lambda::EventInvokeConfig')) {
      const dest = (
        config.Properties?.DestinationConfig as { OnFailure?: { Destination: unknown } }
      )?.OnFailure?.Destination;
      if (!dest) continue;
      const fnRef = (config.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref;
      const fn = resources.find(([fid]) => fid === fnRef);
      destinations.push([fn?.[1].Properties?.Role, dest, `${id} (async)`]);
    }
    // the ingest mapping's on-failure queue and jobEvents' async on-failure queue
    expect(destinations.map(([, , what]) => what)).toHaveLength(2);
    for (const [roleRef, destination, what] of destinations) {
      const roleId = (roleRef as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = template.Resources[roleId];
      expect(role, what).toBeDefined();
      const queueId = JSON.stringify(destination).match(/"([A-Za-z0-9]+)","Arn"/)?.[1];
      expect(queueId, `${what}: destination is a queue of this stack`).toBeDefined();
      const allowed = roleStatements(role as CfnResource).some(
        (s) =>
          s.Effect === 'Allow' &&
          asList(s.Action).includes('sqs:SendMessage') &&
          mentionsArn(s.Resource, `"${queueId}"`),
      );
      expect(allowed, `${what}: ${roleId} may sqs:SendMessage to ${queueId}`).toBe(true);
    }
  });

  it('sends every alarm and its recovery to the alerts topic, switched by the alarmActionsEnabled param (on in prod)', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties?.AlarmActions, `${id} notifies the alerts topic`).toEqual([
        { Ref: 'AlertsTopic' },
      ]);
      expect(alarm.Properties?.OKActions, `${id} says on the alerts topic when it clears`).toEqual([
        { Ref: 'AlertsTopic' },
      ]);
      expect(alarm.Properties?.ActionsEnabled, `${id} sets ActionsEnabled from the param`).toBe(
        true,
      );
    }
  });

  it("sends the job-state fan-out the terminal states of exactly this stage's Glue jobs", () => {
    const jobNames = ofType('AWS::Glue::Job').map(([, job]) => job.Properties?.Name);
    const rules = ofType('AWS::Events::Rule').filter(([, rule]) =>
      JSON.stringify(rule.Properties?.EventPattern ?? null).includes('Glue Job State Change'),
    );
    expect(rules).toHaveLength(1);
    const pattern = rules[0]?.[1].Properties?.EventPattern as {
      detail: { jobName: unknown[]; state: unknown[] };
    };
    expect(jobNames.length).toBeGreaterThan(0);
    expect([...pattern.detail.jobName].sort()).toEqual([...jobNames].sort());
    expect(pattern.detail.state).toEqual(['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED']);
  });

  it("lets the job-state fan-out read exactly this stage's Glue jobs and their runs", () => {
    // Prepare
    const jobNames = ofType('AWS::Glue::Job').map(([, job]) => String(job.Properties?.Name));
    const role = template.Resources.JobEventsIamRoleLambdaExecution;
    if (!role) throw new Error('no JobEventsIamRoleLambdaExecution');

    // Act
    const glueReads = roleStatements(role).filter((s) =>
      asList(s.Action).some((a) => a.startsWith('glue:')),
    );

    // Assess: GetJob (MaxRetries: is a FAILED attempt retried?) and GetJobRun, job by job
    expect(glueReads).toHaveLength(1);
    expect([...asList(glueReads[0]?.Action)].sort()).toEqual(['glue:GetJob', 'glue:GetJobRun']);
    const jobsNamed = asList(glueReads[0]?.Resource).map(
      (arn) => String((arn as { 'Fn::Sub': string })['Fn::Sub']).split(':job/')[1],
    );
    expect(jobNames.length).toBeGreaterThan(0);
    expect(jobsNamed.sort()).toEqual(jobNames.sort());
  });

  it('expires what the Glue jobs leave in their temporary directory', () => {
    const bucket = template.Resources.GlueArtifactsBucket?.Properties as {
      LifecycleConfiguration: {
        Rules: { Status: string; Prefix?: string; ExpirationInDays?: number }[];
      };
    };
    const expiring = bucket.LifecycleConfiguration.Rules.filter(
      (r) => r.Status === 'Enabled' && r.ExpirationInDays !== undefined,
    ).map((r) => r.Prefix ?? '');
    const jobs = ofType('AWS::Glue::Job');
    expect(jobs.length).toBeGreaterThan(0);
    for (const [id, job] of jobs) {
      const tempDir = JSON.stringify(
        (job.Properties?.DefaultArguments as Record<string, unknown> | undefined)?.['--TempDir'],
      );
      const key = /s3:\/\/\$\{GlueArtifactsBucket\}\/([^"]*)/.exec(tempDir)?.[1];
      expect(key, `${id} has its --TempDir in the artifacts bucket`).toBeDefined();
      expect(
        expiring.some((prefix) => key?.startsWith(prefix)),
        `${id}: ${key} is under an expiring prefix (${expiring.join(', ')})`,
      ).toBe(true);
    }
  });

  it('retries every task of each state machine and alarms on its failed executions', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines.length).toBeGreaterThan(0);
    for (const [id, machine] of machines) {
      const sub = machine.Properties?.DefinitionString as { 'Fn::Sub': [string] } | undefined;
      expect(sub?.['Fn::Sub'][0], `${id} has its definition as a Fn::Sub string`).toBeTypeOf(
        'string',
      );
      const text = sub?.['Fn::Sub'][0] ?? '';
      // placeholders are names, ARNs and numbers: any number keeps the JSON readable
      const definition = JSON.parse(text.replace(/\$\{[^}]+\}/g, '0')) as {
        States: Record<string, { Type: string; Retry?: unknown[] }>;
      };
      const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
      expect(tasks.length, `${id} has tasks`).toBeGreaterThan(0);
      for (const [name, state] of tasks)
        expect(state.Retry?.length, `${id}.${name} retries`).toBeGreaterThan(0);
      const alarmed = ofType('AWS::CloudWatch::Alarm').some(
        ([, alarm]) =>
          alarm.Properties?.MetricName === 'ExecutionsFailed' &&
          JSON.stringify(alarm.Properties?.Dimensions).includes(`{"Ref":"${id}"}`),
      );
      expect(alarmed, `an alarm on ${id}'s failed executions`).toBe(true);
    }
  });

  it("keeps startCrawler's crawls from racing the hourly workflow's crawl", () => {
    const schedule = template.Resources.HourlyStartTrigger?.Properties?.Schedule;
    expect(schedule, 'the hourly workflow starts on the hour').toMatch(
      /^cron\(\d+ \* \* \* \? \*\)$/,
    );
    const environment = template.Resources.StartCrawlerLambdaFunction?.Properties?.Environment as
      | { Variables: Record<string, string> }
      | undefined;
    expect(Number(environment?.Variables.CRAWLER_MIN_INTERVAL_SECONDS)).toBeGreaterThan(3600);
  });

  it('trusts a service principal only under source keys that service documents sending', () => {
    const found: Array<[string, Statement]> = [];
    for (const [id, resource] of resources) serviceStatements(resource.Properties, id, found);
    expect(found.length).toBeGreaterThan(5);
    for (const [id, statement] of found) {
      const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
      if (!keys.some((key) => SOURCE_KEYS.has(key.toLowerCase()))) continue;
      const services = asList((statement.Principal as { Service: unknown }).Service);
      const prefixes = new Set(asList(statement.Action).map((action) => action.split(':')[0]));
      for (const service of services)
        for (const prefix of prefixes)
          expect(
            Object.keys(DOCUMENTED_SOURCE_KEYS),
            `${id}: ${JSON.stringify(service)} on ${prefix} under ${keys.join(', ')}`,
          ).toContain(`${service} ${prefix}`);
    }
  });

  it('creates the FindMatches transform (Glue 2.0, past end of life) only when asked, and not in prod', () => {
    // Prepare
    const state = JSON.parse(readFileSync('build/prod/serverless-state.json', 'utf8')) as {
      service: { provider: { stackParameters?: unknown } };
    };
    const { Parameters: parameters, Conditions: conditions } = template as unknown as {
      Parameters?: Record<string, unknown>;
      Conditions: Record<string, unknown>;
    };
    // Assess
    expect(template.Resources.FindMatchesTransform?.Condition).toBe('CreateFindMatchesTransform');
    expect(template.Outputs?.FindMatchesTransformId).toMatchObject({
      Condition: 'CreateFindMatchesTransform',
    });
    expect(conditions.CreateFindMatchesTransform).toEqual({ 'Fn::Equals': ['false', 'true'] });
    // No template parameters: Serverless passes stack parameters to its first CreateStack too,
    // whose starter template declares none, so a new stage's first deploy would be refused.
    expect(parameters ?? {}).toEqual({});
    expect(state.service.provider.stackParameters).toBeUndefined();
  });

  it("gives each SQS source queue a visibility timeout of 6 x its function's timeout plus the batching window", () => {
    const target = (value: unknown) =>
      (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
      ([, m]) =>
        template.Resources[target(m.Properties?.EventSourceArn)]?.Type === 'AWS::SQS::Queue',
    );
    expect(mappings.length).toBeGreaterThan(0);
    for (const [id, mapping] of mappings) {
      const properties = mapping.Properties ?? {};
      const queueId = target(properties.EventSourceArn);
      const functionId = target(properties.FunctionName);
      const visibility = Number(template.Resources[queueId]?.Properties?.VisibilityTimeout);
      const timeout = Number(template.Resources[functionId]?.Properties?.Timeout);
      const window = Number(properties.MaximumBatchingWindowInSeconds ?? 0);
      expect(timeout, `${id}: ${functionId} has a timeout`).toBeGreaterThan(0);
      expect(visibility, `${id}: ${queueId}`).toBeGreaterThanOrEqual(6 * timeout + window);
    }
  });

  it('expires the old versions of every versioned bucket', () => {
    const versioned = ofType('AWS::S3::Bucket').filter(
      ([, b]) =>
        (b.Properties?.VersioningConfiguration as { Status?: string } | undefined)?.Status ===
        'Enabled',
    );
    expect(versioned.map(([id]) => id)).toContain('ServerlessDeploymentBucket');
    for (const [id, bucket] of versioned) {
      const rules =
        (bucket.Properties?.LifecycleConfiguration as { Rules?: Record<string, unknown>[] })
          ?.Rules ?? [];
      const expires = rules.some((r) => r.Status === 'Enabled' && r.NoncurrentVersionExpiration);
      expect(expires, `${id} expires noncurrent versions`).toBe(true);
    }
  });

  it("keeps class names in the bundles it packages: an error's name is its class", async () => {
    // Prepare: startCrawler bundled with the packaged esbuild options, loaded without its variables
    const state = JSON.parse(readFileSync('build/prod/serverless-state.json', 'utf8')) as {
      service: { custom: { esbuild: { minify: boolean; keepNames?: boolean; target: string } } };
    };
    const { minify, keepNames, target } = state.service.custom.esbuild;
    const outfile = join(mkdtempSync(join(tmpdir(), 'streamlake-bundle-')), 'start-crawler.cjs');
    await build({
      entryPoints: ['handlers/start-crawler.ts'],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify,
      keepNames,
      target,
      logLevel: 'error',
    });
    const saved = process.env.GLUE_DATABASE;
    delete process.env.GLUE_DATABASE;

    // Act
    let thrown: unknown;
    try {
      createRequire(import.meta.url)(outfile);
    } catch (error) {
      thrown = error;
    } finally {
      if (saved !== undefined) process.env.GLUE_DATABASE = saved;
    }

    // Assess
    expect(minify).toBe(true);
    expect(thrown).toMatchObject({ name: 'ConfigError' });
  });

  it('denies plain-HTTP access on every bucket', () => {
    const buckets = ofType('AWS::S3::Bucket').map(([id]) => id);
    expect(buckets.length).toBeGreaterThan(0);
    const policies = ofType('AWS::S3::BucketPolicy').map(([, p]) => p.Properties ?? {});
    for (const bucket of buckets) {
      const policy = policies.find(
        (p) => JSON.stringify(p.Bucket) === JSON.stringify({ Ref: bucket }),
      );
      expect(policy, `${bucket} has a bucket policy`).toBeDefined();
      const document = policy?.PolicyDocument as { Statement: Statement[] } | undefined;
      const statements = document?.Statement ?? [];
      const denies = statements.some(
        (s) =>
          s.Effect === 'Deny' &&
          asList(s.Action).includes('s3:*') &&
          String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false',
      );
      expect(denies, `${bucket} denies aws:SecureTransport=false`).toBe(true);
    }
  });
});
