import { readFileSync } from 'node:fs';

/** One resource entry of a CloudFormation template. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

/** The parts of a CloudFormation template the local tooling reads. */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

/** Where `serverless package --stage local --package build/local` writes the template. */
export const LOCAL_TEMPLATE_PATH = 'build/local/cloudformation-template-update-stack.json';

/** Reads a packaged template; says how to make it when it is missing. */
export function readTemplate(path = LOCAL_TEMPLATE_PATH): CfnTemplate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path} is missing: run "make package-local" to package the local stage`, {
      cause: error,
    });
  }
  return JSON.parse(text) as CfnTemplate;
}

/** The logical ids of every resource of one type, in template order. */
export function logicalIdsOfType(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}
