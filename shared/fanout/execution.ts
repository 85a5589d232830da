import { isDeepStrictEqual } from 'node:util';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ExecutionNameConflictError } from './errors';
import type { GlueJobStateChange } from './event';
import { executionNameFor } from './tokens';

/**
 * The execution input: only fields of the Glue event that every delivery of it carries alike
 * (not the EventBridge id or time), so that a redelivery sends exactly the same input.
 */
export function executionInputFor(change: GlueJobStateChange): Record<string, string> {
  const { jobName, jobRunId, state, severity, message } = change.detail;
  return {
    jobName,
    jobRunId,
    state,
    severity,
    message,
    account: change.account,
    region: change.region,
  };
}

/** `arn:…:stateMachine:<machine>` + name → `arn:…:execution:<machine>:<name>`. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export interface StartedExecution {
  readonly executionArn: string;
  /**
   * True when Step Functions refused the name (ExecutionAlreadyExists) and the execution found is
   * an earlier delivery's; a repeat while that execution still runs is answered like a first start.
   */
  readonly alreadyStarted: boolean;
}

/**
 * Starts the state machine for a job state change, named after the run and state (see
 * `executionNameFor`). Standard workflows keep names 90 days: a second StartExecution with the same
 * name and input returns the running execution, and once it has finished raises
 * ExecutionAlreadyExists, which alone does not prove the input was ours. So on that error the
 * existing execution is described and its input compared: the same input is the earlier delivery's
 * execution (success); another input is an ExecutionNameConflictError.
 */
export async function startExecutionFor(
  sfn: SFNClient,
  stateMachineArn: string,
  change: GlueJobStateChange,
): Promise<StartedExecution> {
  const name = executionNameFor(change.detail);
  const input = executionInputFor(change);
  const inputText = JSON.stringify(input);
  try {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: inputText }),
    );
    return {
      executionArn: started.executionArn ?? executionArnFor(stateMachineArn, name),
      alreadyStarted: false,
    };
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    const executionArn = executionArnFor(stateMachineArn, name);
    const existing = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const sameInput =
      existing.input !== undefined && isDeepStrictEqual(JSON.parse(existing.input), input);
    if (!sameInput) throw new ExecutionNameConflictError(executionArn, inputText, existing.input);
    return { executionArn, alreadyStarted: true };
  }
}
