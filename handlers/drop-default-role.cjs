'use strict';
/**
 * Serverless plugin: drops the default Lambda role (`IamRoleLambdaExecution`) once
 * serverless-iam-roles-per-function has given every function a role of its own. That plugin makes
 * the function roles from the default one in its `before:package:finalize` hook and keeps it;
 * this one is listed after it in serverless.yml, so its hook runs next. Nothing uses the default
 * role then, yet it holds the union of the functions' event permissions (stream reads, queue
 * sends), and whoever may pass it could give it to another function. It is kept if anything
 * still refers to it.
 */
class DropDefaultRolePlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.drop() };
  }

  drop() {
    const id = this.serverless.getProvider('aws').naming.getRoleLogicalId();
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    if (template.Resources[id] === undefined) return;
    const { [id]: _role, ...others } = template.Resources;
    const rest = JSON.stringify({ Resources: others, Outputs: template.Outputs ?? {} });
    if (rest.includes(`"${id}"`)) return; // a Ref, GetAtt or DependsOn: still in use
    delete template.Resources[id];
  }
}

module.exports = DropDefaultRolePlugin;
