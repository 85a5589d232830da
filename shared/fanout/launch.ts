import {
  DescribeInstancesCommand,
  type EC2Client,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { GlueJobStateChange } from './event';
import { clientTokenFor } from './tokens';

/** The launch template (and pinned version) the post-processing instance starts from. */
export interface LaunchTemplateRef {
  readonly id: string;
  readonly version: string;
}

/** EC2 tag values are at most 256 characters. */
const TAG_VALUE_LIMIT = 256;

function tag(Key: string, value: string): Tag {
  return { Key, Value: value.slice(0, TAG_VALUE_LIMIT) };
}

/**
 * RunInstances input for one post-processing instance of a job run. The `ClientToken` comes from
 * the template, run id and state, so a redelivered event returns the instance of the first call
 * instead of launching another. Everything else is derived from the event alone, so a repeat
 * carries the same parameters (a repeat with other parameters would be IdempotentParameterMismatch).
 * Instance and volume tags name the run; the template exposes them to the instance's metadata.
 */
export function launchInputFor(
  template: LaunchTemplateRef,
  change: GlueJobStateChange,
): RunInstancesCommandInput {
  const { jobName, jobRunId, state } = change.detail;
  const tags = [
    tag('Name', `streamlake post-processing ${jobName} ${state}`),
    tag('streamlake:job-name', jobName),
    tag('streamlake:job-run-id', jobRunId),
    tag('streamlake:job-state', state),
  ];
  return {
    LaunchTemplate: { LaunchTemplateId: template.id, Version: template.version },
    MinCount: 1,
    MaxCount: 1,
    ClientToken: clientTokenFor(template.id, change.detail),
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ],
  };
}

/**
 * Runs RunInstances and resolves to the ids of the instances its token launched. A repeat whose
 * parameters differ from the first call's (a deploy made a new template version in between) is
 * refused with IdempotentParameterMismatch although the first call launched: the instances that
 * carry the token are then the answer, found by the `client-token` filter. EC2 lists a terminated
 * instance for about an hour only: a later repeat of that kind still fails with the mismatch (the
 * event then reaches the failure queue, though its instance ran).
 * @throws the EC2 client's error, and IdempotentParameterMismatch when no instance has the token
 */
export async function launchOnce(
  ec2: EC2Client,
  input: RunInstancesCommandInput,
): Promise<string[]> {
  try {
    const { Instances = [] } = await ec2.send(new RunInstancesCommand(input));
    return Instances.map((i) => i.InstanceId ?? '');
  } catch (error) {
    if ((error as Error).name !== 'IdempotentParameterMismatch' || !input.ClientToken) throw error;
    const { Reservations = [] } = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'client-token', Values: [input.ClientToken] }],
      }),
    );
    const launched = Reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? '');
    if (launched.length === 0) throw error;
    return launched;
  }
}
