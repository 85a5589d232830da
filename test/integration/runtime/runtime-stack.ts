import { inject } from 'vitest';
import { resetMoto } from '../../../local/aws/moto-server';
import type { LocalStack } from '../../../local/aws/provision';
import { provisionStack } from '../../../local/aws/provision';
import { type CfnResource, type CfnTemplate, readTemplate } from '../../../local/aws/template';

/**
 * Resets the local AWS and provisions the packaged stack plus `extra` resources for the runtime
 * tests, as `useLocalAws()` does.
 */
export async function provisionRuntimeStack(
  extra: Record<string, CfnResource> = {},
): Promise<LocalStack> {
  const endpoint = inject('awsEndpoint');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  await resetMoto(endpoint);
  const packaged = readTemplate();
  const template: CfnTemplate = { ...packaged, Resources: { ...packaged.Resources, ...extra } };
  return provisionStack({ endpoint, template, log: () => undefined });
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
