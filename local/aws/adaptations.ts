import {
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resolveIntrinsics, type StackFacts } from './intrinsics';

/**
 * Where the local AWS differs from AWS in a way the stack would notice, and what the harness does
 * about it. Each adaptation is logged when it is applied.
 */

/** An EventBridge rule whose Lambda target the local runtime stands in for. */
export interface RuleDelivery {
  readonly rule: string;
  /** the function's logical id in the template */
  readonly functionLogicalId: string;
  /** events matched by the rule land here (pattern rules); undefined for schedule rules */
  readonly queueUrl?: string;
  readonly schedule?: string;
}

type Log = (line: string) => void;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * moto's CloudFormation creates state machines in the Step Functions backend that never executes;
 * the one that runs the ASL interpreter only sees machines created through the API. Creates each
 * again through the API, with the same name, so its ARN is the one the stack already resolved.
 */
export async function recreateStateMachines(facts: StackFacts, endpoint: string, log: Log) {
  const sfn = new SFNClient({ endpoint, region: facts.region, credentials });
  for (const [id, resource] of Object.entries(facts.template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const p = resolveIntrinsics(facts, resource.Properties ?? {}) as Record<string, unknown>;
    let definition =
      typeof p.DefinitionString === 'string' ? p.DefinitionString : JSON.stringify(p.Definition);
    for (const [key, value] of Object.entries(
      (p.DefinitionSubstitutions as Record<string, unknown>) ?? {},
    ))
      definition = definition.split(`\${${key}}`).join(String(value));
    const name = String(p.StateMachineName ?? facts.physicalIds[id]?.split(':').pop());
    await sfn.send(
      new CreateStateMachineCommand({
        name,
        definition,
        roleArn: String(p.RoleArn),
        type: (p.StateMachineType as 'STANDARD' | 'EXPRESS' | undefined) ?? 'STANDARD',
      }),
    );
    log(`created ${id} again through the Step Functions API so the local interpreter runs it`);
  }
}

/** A bucket policy statement whose only job is to refuse plain HTTP. */
export function isTlsOnlyDeny(statement: Record<string, unknown>): boolean {
  const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
  return (
    statement.Effect === 'Deny' &&
    condition !== undefined &&
    Object.keys(condition).length === 1 &&
    String(condition.Bool?.['aws:SecureTransport']) === 'false'
  );
}

/**
 * Lambda targets make moto's PutEvents fail, and moto never invokes them. Pattern rules get an
 * SQS queue in place of each Lambda target (the local runtime delivers from it to the function);
 * schedule rules lose the target (the local runtime invokes their function on demand).
 */
export async function redirectRuleTargets(
  facts: StackFacts,
  endpoint: string,
  log: Log,
): Promise<RuleDelivery[]> {
  const events = new EventBridgeClient({ endpoint, region: facts.region, credentials });
  const sqs = new SQSClient({ endpoint, region: facts.region, credentials });
  const functionIdByName = new Map(
    Object.entries(facts.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id]) => [facts.physicalIds[id] ?? '', id]),
  );
  const deliveries: RuleDelivery[] = [];
  for (const [id, resource] of Object.entries(facts.template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule' || !facts.physicalIds[id]) continue;
    const rule = facts.physicalIds[id].split('/').pop() ?? '';
    const bus = resource.Properties?.EventBusName as string | undefined;
    const { Targets = [] } = await events.send(
      new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus }),
    );
    const schedule = resource.Properties?.ScheduleExpression as string | undefined;
    for (const target of Targets) {
      if (!target.Arn?.includes(':lambda:') || !target.Id) continue;
      const functionLogicalId = functionIdByName.get(target.Arn.split(':').pop() ?? '') ?? '';
      await events.send(
        new RemoveTargetsCommand({ Rule: rule, EventBusName: bus, Ids: [target.Id] }),
      );
      if (schedule) {
        deliveries.push({ rule, functionLogicalId, schedule });
        log(`rule ${rule} (${schedule}): the local runtime invokes ${functionLogicalId} on demand`);
        continue;
      }
      const { QueueUrl = '' } = await sqs.send(
        new CreateQueueCommand({ QueueName: `${`${rule}-${target.Id}`.slice(0, 70)}-local` }),
      );
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await events.send(
        new PutTargetsCommand({
          Rule: rule,
          EventBusName: bus,
          Targets: [{ Id: `${target.Id}-local`, Arn: Attributes?.QueueArn, Input: target.Input }],
        }),
      );
      deliveries.push({ rule, functionLogicalId, queueUrl: QueueUrl });
      log(
        `rule ${rule}: matched events go to an SQS queue the local runtime delivers to ${functionLogicalId}`,
      );
    }
  }
  return deliveries;
}
