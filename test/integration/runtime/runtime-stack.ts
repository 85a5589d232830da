import type { CfnResource, CfnTemplate } from '../../../local/aws/template';
import { type LocalStack, useLocalAws } from '../../helpers/local-aws';

/**
 * Resets the local AWS and provisions the packaged stack plus `extra` resources for the runtime
 * tests.
 */
export async function provisionRuntimeStack(
  extra: Record<string, CfnResource> = {},
): Promise<LocalStack> {
  return useLocalAws({ extraResources: extra });
}

/** A function of the test template, built like the packaged ingest function's entry. */
export function testFunction(
  template: CfnTemplate,
  handler: string,
  properties: Record<string, unknown> = {},
): CfnResource {
  const model = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  if (!model) throw new Error('the packaged template has no function to model the test one on');
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Code: model.Properties?.Code,
      Role: model.Properties?.Role,
      Runtime: 'nodejs22.x',
      Handler: handler,
      MemorySize: 256,
      Timeout: 3,
      ...properties,
    },
  };
}
