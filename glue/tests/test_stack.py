"""glue/jobs.yml lints clean with cfn-lint inside a template that stubs the resources it references,
and its job role reaches no more of the catalog than the jobs need."""

from __future__ import annotations

from pathlib import Path

from cfnlint.api import ManualArgs, lint
from cfnlint.decode import cfn_yaml

FRAGMENT = Path(__file__).resolve().parents[1] / "jobs.yml"
# What serverless.yml resolves before CloudFormation sees the fragment (sample values).
SERVERLESS_VARIABLES = {
    "${self:service}": "streamlake",
    "${sls:stage}": "dev",
    "${param:glueWorkerType}": "G.1X",
    "${param:glueNumberOfWorkers}": "2",
    "${param:curateBoundedFiles}": "2000",
    "${param:findMatchesTransform}": "false",
}
STUBS = """
  LakeBucket: {Type: AWS::S3::Bucket}
  GlueArtifactsBucket: {Type: AWS::S3::Bucket}
  LakeKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]}
  GlueDatabase:
    Type: AWS::Glue::Database
    Properties: {CatalogId: !Ref AWS::AccountId, DatabaseInput: {Name: streamlake_dev}}
  GlueSecurityConfiguration:
    Type: AWS::Glue::SecurityConfiguration
    Properties:
      Name: streamlake-dev
      EncryptionConfiguration:
        S3Encryptions: [{S3EncryptionMode: SSE-KMS, KmsKeyArn: !GetAtt LakeKey.Arn}]
        CloudWatchEncryption: {CloudWatchEncryptionMode: SSE-KMS, KmsKeyArn: !GetAtt LakeKey.Arn}
        JobBookmarksEncryption: {JobBookmarksEncryptionMode: CSE-KMS, KmsKeyArn: !GetAtt LakeKey.Arn}
  GlueTableCuratedClickstream:
    Type: AWS::Glue::Table
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseName: !Ref GlueDatabase
      TableInput:
        Name: curated_clickstream
        TableType: EXTERNAL_TABLE
        PartitionKeys: [{Name: dt, Type: string}, {Name: hour, Type: string}]
        StorageDescriptor:
          Location: !Sub 's3://${LakeBucket}/curated/clickstream/'
          Columns: [{Name: event_id, Type: string}]
  RawCrawler:
    Type: AWS::Glue::Crawler
    Properties:
      Role: !GetAtt GlueJobRole.Arn
      DatabaseName: !Ref GlueDatabase
      Targets: {S3Targets: [{Path: !Sub 's3://${LakeBucket}/raw/'}]}
"""


def resolved_fragment() -> str:
    text = FRAGMENT.read_text()
    for variable, value in SERVERLESS_VARIABLES.items():
        text = text.replace(variable, value)
    return text


def wrapped_template() -> str:
    fragment = resolved_fragment()
    resources, _, outputs = fragment.partition("\nOutputs:\n")
    head, body = resources.split("\nResources:\n", 1)  # head: the fragment's Parameters and Conditions
    return f"AWSTemplateFormatVersion: '2010-09-09'\n{head}\nResources:\n{STUBS.strip(chr(10))}\n{body}\nOutputs:\n{outputs}"


def test_every_serverless_variable_in_the_fragment_is_a_known_one():
    text = FRAGMENT.read_text()
    used = {text[start : text.index("}", start) + 1] for start in _find_all(text, "${") if ":" in text[start : text.index("}", start)]}
    cloudformation = {name for name in used if name.startswith("${AWS::") or "." in name.split(":")[0]}
    assert used - cloudformation == set(SERVERLESS_VARIABLES)


def test_the_fragment_lints_clean_with_stubbed_references():
    # W8003 as in .cfnlintrc.yaml: a condition on a stage param is constant once packaged.
    # W1101: the jobs share their `--conf` through a YAML alias, which Serverless resolves when it
    # packages the template (CloudFormation never sees it).
    matches = lint(wrapped_template(), config=ManualArgs(regions=["us-east-1"], ignore_checks=["W8003", "W1101"]))

    assert [f"{match.rule.id} {match.message}" for match in matches] == []


def _find_all(text: str, needle: str):
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def job_role_statements() -> list[dict]:
    template = cfn_yaml.loads(resolved_fragment())
    policies = template["Resources"]["GlueJobRole"]["Properties"]["Policies"]
    return [statement for policy in policies for statement in policy["PolicyDocument"]["Statement"]]


def glue_grants() -> list[tuple[str, str]]:
    """(action, resource ARN pattern) for every glue action the job role allows."""
    grants = []
    for statement in job_role_statements():
        assert statement["Effect"] == "Allow"
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for action in (action for action in actions if action.startswith("glue:")):
            grants += [(action, resource["Fn::Sub"] if isinstance(resource, dict) else resource) for resource in resources]
    return grants


def test_the_job_role_may_only_look_up_sparks_global_temp_database():
    # Spark checks on its first catalog call that no catalog database is named like its global
    # temporary views' (spark.sql.globalTempDatabase); the Glue catalog client turns AccessDenied
    # into an error, not into "no such database".
    database = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/"
    grants = glue_grants()

    on_global_temp = sorted({action for action, resource in grants if "global_temp" in resource})
    broad = sorted({resource for _, resource in grants if resource == "*" or (resource.startswith(database) and "*" in resource)})

    assert on_global_temp == ["glue:GetDatabase"]
    assert ("glue:GetDatabase", f"{database}global_temp") in grants
    assert broad == []
