import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  type LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { type RuleDelivery, recreateStateMachines, redirectRuleTargets } from './adaptations';
import { resolveIntrinsics, type StackFacts } from './intrinsics';
import { applyBucketNotifications, localClients, SUPPLEMENTS } from './supplements';
import { type CfnResource, type CfnTemplate, readTemplate } from './template';

/** The account id moto uses unless told otherwise. */
export const LOCAL_ACCOUNT_ID = '123456789012';

/** A stack provisioned in the local AWS from the packaged template. */
export interface LocalStack {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** logical id -> physical id, for every resource the local AWS has */
  readonly resources: Record<string, string>;
  readonly outputs: Record<string, string>;
  /** EventBridge rules whose Lambda targets the local runtime stands in for */
  readonly ruleDeliveries: readonly RuleDelivery[];
}

export interface ProvisionOptions {
  endpoint: string;
  region?: string;
  stackName?: string;
  template?: CfnTemplate;
  log?: (line: string) => void;
}

async function waitForStack(cf: CloudFormationClient, stackName: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { Stacks } = await cf.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (stack && !stack.StackStatus?.endsWith('IN_PROGRESS')) {
      if (stack.StackStatus !== 'CREATE_COMPLETE')
        throw new Error(
          `stack ${stackName}: ${stack.StackStatus} ${stack.StackStatusReason ?? ''}`,
        );
      return stack;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`stack ${stackName} did not finish creating`);
}

async function listPhysicalIds(cf: CloudFormationClient, stackName: string) {
  const ids: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await cf.send(new ListStackResourcesCommand({ StackName: stackName, NextToken }));
    for (const r of page.StackResourceSummaries ?? [])
      if (r.LogicalResourceId && r.PhysicalResourceId)
        ids[r.LogicalResourceId] = r.PhysicalResourceId;
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

/** Whether a resource is an event-source mapping reading a Kinesis stream of the template. */
function readsKinesis(template: CfnTemplate, resource: CfnResource): boolean {
  if (resource.Type !== 'AWS::Lambda::EventSourceMapping') return false;
  const source = resource.Properties?.EventSourceArn;
  if (typeof source === 'string') return source.includes(':kinesis:');
  const getAtt = (source as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  const id = Array.isArray(getAtt) ? getAtt[0] : String(getAtt ?? '').split('.')[0];
  return template.Resources[String(id)]?.Type === 'AWS::Kinesis::Stream';
}

/**
 * moto's Kinesis tries to run the function of every event-source mapping of a stream on each
 * PutRecords, enabled or not, and without Docker fails the PutRecords with HTTP 500 (moto 5.2);
 * deleting the mapping does not unhook it. So Kinesis mappings are left out of CreateStack; the
 * local runtime reads every mapping from the template, which the stack keeps whole.
 */
function withoutKinesisMappings(template: CfnTemplate): CfnTemplate {
  const kept = Object.entries(template.Resources).filter(([, r]) => !readsKinesis(template, r));
  return { ...template, Resources: Object.fromEntries(kept) };
}

/**
 * The local runtime, not moto, delivers queue events to handlers (for SQS moto would consume
 * messages with a stub invocation).
 */
async function disableEventSourceMappings(lambda: LambdaClient, log: (line: string) => void) {
  const { EventSourceMappings = [] } = await lambda.send(new ListEventSourceMappingsCommand({}));
  for (const mapping of EventSourceMappings) {
    if (!mapping.UUID) continue;
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }));
  }
  if (EventSourceMappings.length)
    log(
      `disabled ${EventSourceMappings.length} event-source mapping(s): the local runtime delivers`,
    );
}

/**
 * Creates the stack from the packaged template in the local AWS (CloudFormation CreateStack), then
 * creates through the SDK, from the same template entries, what moto's CloudFormation skips.
 */
export async function provisionStack(options: ProvisionOptions): Promise<LocalStack> {
  const { endpoint, region = 'us-east-1', stackName = 'streamlake-local' } = options;
  const log = options.log ?? ((line: string) => console.log(`[local-aws] ${line}`));
  const template = options.template ?? readTemplate();
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const cf = new CloudFormationClient({ endpoint, region, credentials });
  await cf.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify(withoutKinesisMappings(template)),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  const stack = await waitForStack(cf, stackName);
  const physicalIds = await listPhysicalIds(cf, stackName);
  const facts: StackFacts = {
    region,
    accountId: LOCAL_ACCOUNT_ID,
    stackName,
    template,
    physicalIds,
  };
  const clients = localClients(endpoint, region);

  for (const [type, create] of SUPPLEMENTS) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== type || physicalIds[id] !== undefined) continue;
      const props = resolveIntrinsics(facts, resource.Properties ?? {}) as Record<string, unknown>;
      physicalIds[id] = await create(clients, props, id);
      log(`created ${id} (${type}) through the SDK: moto's CloudFormation skips this type`);
    }
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    const versioning = resource.Properties?.VersioningConfiguration as
      | { Status?: string }
      | undefined;
    if (resource.Type !== 'AWS::S3::Bucket' || !versioning?.Status || !physicalIds[id]) continue;
    await clients.s3.send(
      new PutBucketVersioningCommand({
        Bucket: physicalIds[id],
        VersioningConfiguration: { Status: versioning.Status as 'Enabled' | 'Suspended' },
      }),
    );
    log(`applied ${id}.VersioningConfiguration through the SDK`);
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    const notifications = resource.Properties?.NotificationConfiguration;
    if (resource.Type !== 'AWS::S3::Bucket' || !notifications || !physicalIds[id]) continue;
    const config = resolveIntrinsics(facts, notifications) as Record<string, unknown>;
    await applyBucketNotifications(clients, physicalIds[id], config);
    log(`applied ${id}.NotificationConfiguration through the SDK`);
  }
  await disableEventSourceMappings(clients.lambda, log);
  await recreateStateMachines(facts, endpoint, log);
  const ruleDeliveries = await redirectRuleTargets(facts, endpoint, log);
  const missing = Object.entries(template.Resources).filter(
    ([id, r]) => !physicalIds[id] && !readsKinesis(template, r),
  );
  for (const [id, resource] of missing)
    log(`not available locally: ${id} (${resource.Type}); a deploy creates it`);

  const outputs = Object.fromEntries(
    (stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
  );
  return {
    endpoint,
    region,
    accountId: LOCAL_ACCOUNT_ID,
    stackName,
    template,
    resources: physicalIds,
    outputs,
    ruleDeliveries,
  };
}

/** The ARN of a provisioned resource, derived as CloudFormation's GetAtt Arn would. */
export function arnOf(stack: LocalStack, logicalId: string): string {
  const facts: StackFacts = { ...stack, physicalIds: stack.resources };
  return resolveIntrinsics(facts, { 'Fn::GetAtt': [logicalId, 'Arn'] }) as string;
}
