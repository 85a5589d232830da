"""glue/jobs.yml lints clean with cfn-lint inside a template that stubs the resources it references."""

from __future__ import annotations

from pathlib import Path

from cfnlint.api import ManualArgs, lint

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
    matches = lint(wrapped_template(), config=ManualArgs(regions=["us-east-1"], ignore_checks=["W8003"]))

    assert [f"{match.rule.id} {match.message}" for match in matches] == []


def _find_all(text: str, needle: str):
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)
