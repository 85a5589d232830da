'use strict';
/**
 * The post-processing launch template's network interface (handlers/job-events.yml), made at
 * package time from the stage params, so that the template holds only what applies:
 *   NetworkInterfaces: ${file(./handlers/job-events-network.cjs):networkInterfaces}
 * With neither param set, EC2 picks the default VPC's default subnet and security group; accounts
 * without a default VPC set `postProcessingSubnetId` (and groups of that subnet's VPC).
 */
const SUBNET = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const GROUP = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** The interface for a subnet id and comma-separated security group ids ('' for none). */
function networkInterfacesFor(subnetId, securityGroupIds) {
  const subnet = String(subnetId ?? '').trim();
  const groups = String(securityGroupIds ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (subnet !== '' && !SUBNET.test(subnet))
    throw new Error(`param postProcessingSubnetId: "${subnet}" is not a subnet id (subnet-…)`);
  const bad = groups.find((id) => !GROUP.test(id));
  if (bad !== undefined)
    throw new Error(
      `param postProcessingSecurityGroupIds: "${bad}" is not a security group id (sg-…)`,
    );
  return [
    {
      DeviceIndex: 0,
      AssociatePublicIpAddress: false,
      DeleteOnTermination: true,
      ...(subnet === '' ? {} : { SubnetId: subnet }),
      ...(groups.length === 0 ? {} : { Groups: groups }),
    },
  ];
}

module.exports = {
  networkInterfacesFor,
  async networkInterfaces({ resolveVariable }) {
    return networkInterfacesFor(
      await resolveVariable('param:postProcessingSubnetId'),
      await resolveVariable('param:postProcessingSecurityGroupIds'),
    );
  },
};
