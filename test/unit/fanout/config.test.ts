import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors';
import { loadFanoutConfig } from '../../../shared/fanout/config';

const VALID = {
  STAGE: 'prod',
  JOB_NOTIFICATIONS_TOPIC_ARN:
    'arn:aws:sns:eu-west-1:123456789012:streamlake-prod-job-notifications',
  POST_PROCESSING_LAUNCH_TEMPLATE_ID: 'lt-0123456789abcdef0',
  POST_PROCESSING_LAUNCH_TEMPLATE_VERSION: '$Latest',
  POST_ETL_STATE_MACHINE_ARN:
    'arn:aws:states:eu-west-1:123456789012:stateMachine:streamlake-prod-post-etl',
};

describe('Function: loadFanoutConfig', () => {
  it('reads the targets and compiles the stage routes', () => {
    // Act
    const config = loadFanoutConfig(VALID);

    // Assess
    expect(config.stage).toBe('prod');
    expect(config.launchTemplate).toEqual({ id: 'lt-0123456789abcdef0', version: '$Latest' });
    expect(config.routes.map((r) => r.jobName)).toEqual([
      'streamlake-prod-*',
      'streamlake-prod-curate',
      'streamlake-prod-curate',
    ]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('gives a stage without a table of its own the development routes, named after it', () => {
    // Act
    const config = loadFanoutConfig({ ...VALID, STAGE: 'pr-42' });

    // Assess: serverless.yml deploys any stage (params.default); its jobEvents must work too
    expect(config.stage).toBe('pr-42');
    expect(config.routes.map((r) => [r.jobName, r.states, r.actions])).toEqual([
      ['streamlake-pr-42-*', ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'], ['notify']],
      ['streamlake-pr-42-curate', ['SUCCEEDED'], ['startExecution']],
      ['streamlake-pr-42-curate', ['FAILED', 'TIMEOUT'], ['launchInstance']],
    ]);
  });

  it.each([
    ['STAGE', undefined, 'STAGE: is required but not set'],
    ['STAGE', 'pr 42', 'STAGE: must be a stage name (letters, digits, hyphens), got "pr 42"'],
    [
      'JOB_NOTIFICATIONS_TOPIC_ARN',
      'alerts',
      'JOB_NOTIFICATIONS_TOPIC_ARN: must be an SNS topic ARN, got "alerts"',
    ],
    [
      'POST_PROCESSING_LAUNCH_TEMPLATE_ID',
      undefined,
      'POST_PROCESSING_LAUNCH_TEMPLATE_ID: is required but not set',
    ],
    [
      'POST_PROCESSING_LAUNCH_TEMPLATE_VERSION',
      'latest',
      'POST_PROCESSING_LAUNCH_TEMPLATE_VERSION: must be a version number, $Latest or $Default, got "latest"',
    ],
    [
      'POST_ETL_STATE_MACHINE_ARN',
      'arn:aws:states:eu-west-1:123456789012:execution:m:n',
      'POST_ETL_STATE_MACHINE_ARN: must be a Step Functions state machine ARN, got "arn:aws:states:eu-west-1:123456789012:execution:m:n"',
    ],
  ])('names %s when it is %s', (variable, value, message) => {
    // Act
    const loading = () => loadFanoutConfig({ ...VALID, [variable]: value });

    // Assess
    expect(loading).toThrow(ConfigError);
    expect(loading).toThrow(message);
  });
});
