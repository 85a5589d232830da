import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { networkInterfacesFor, networkInterfaces } = createRequire(import.meta.url)(
  '../../../handlers/job-events-network.cjs',
) as {
  networkInterfacesFor: (subnet: unknown, groups: unknown) => Record<string, unknown>[];
  networkInterfaces: (resolver: {
    resolveVariable: (name: string) => Promise<unknown>;
  }) => Promise<Record<string, unknown>[]>;
};

const PRIVATE = { DeviceIndex: 0, AssociatePublicIpAddress: false, DeleteOnTermination: true };

describe('Function: networkInterfaces (post-processing launch template)', () => {
  it("leaves subnet and groups to EC2's defaults when the params are empty", () => {
    expect(networkInterfacesFor('', '')).toEqual([PRIVATE]);
  });

  it('puts the subnet and the comma-separated groups of the stage params in the interface', async () => {
    // Prepare
    const params: Record<string, string> = {
      'param:postProcessingSubnetId': 'subnet-0123456789abcdef0',
      'param:postProcessingSecurityGroupIds': 'sg-0123456789abcdef0, sg-89abcdef,',
    };

    // Act
    const interfaces = await networkInterfaces({ resolveVariable: async (name) => params[name] });

    // Assess
    expect(interfaces).toEqual([
      {
        ...PRIVATE,
        SubnetId: 'subnet-0123456789abcdef0',
        Groups: ['sg-0123456789abcdef0', 'sg-89abcdef'],
      },
    ]);
  });

  it('refuses ids of the wrong kind at package time, naming the param', () => {
    expect(() => networkInterfacesFor('vpc-0123456789abcdef0', '')).toThrow(
      'param postProcessingSubnetId: "vpc-0123456789abcdef0" is not a subnet id (subnet-…)',
    );
    expect(() => networkInterfacesFor('', 'sg-12345678,default')).toThrow(
      'param postProcessingSecurityGroupIds: "default" is not a security group id (sg-…)',
    );
  });
});
