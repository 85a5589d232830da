"""The moto launcher's patches (local/aws/moto_server.py): they apply to the installed moto
without a drift warning, and the patched models still behave as moto's own."""

import importlib.util
import time
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

LAUNCHER = Path(__file__).resolve().parents[2] / "local" / "aws" / "moto_server.py"


@pytest.fixture(scope="module")
def launcher():
    spec = importlib.util.spec_from_file_location("moto_server", LAUNCHER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_patch_applies_without_a_drift_warning(launcher, capsys):
    launcher.patch_moto()

    assert "WARNING" not in capsys.readouterr().err
    from moto.kinesis.models import Shard
    from moto.sqs.models import Message

    assert "key lookup" in (Shard.get_records.__doc__ or "")
    assert "per-shard lock" in (Shard.put_record.__doc__ or "")
    assert "patched" in (Shard.get_max_sequence_number.__doc__ or "")
    assert "patched" in (Message.visible.__doc__ or "")
    assert "patched" in (Message.delayed.__doc__ or "")


def test_patched_sqs_messages_keep_visibility_and_delay(launcher):
    launcher.patch_moto()
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="q")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="now")
        sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)

        first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=1)
        hidden = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        time.sleep(1.1)
        again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)

        assert [m["Body"] for m in first["Messages"]] == ["now"]
        assert hidden.get("Messages", []) == []
        assert [m["Body"] for m in again["Messages"]] == ["now"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessagesDelayed"] == "1"


def test_sending_to_a_queue_does_not_count_its_messages(launcher, monkeypatch):
    launcher.patch_moto()
    from moto.sqs.models import Message, SQSBackend

    assert "patched" in (SQSBackend.send_message.__doc__ or "")
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="events")["QueueUrl"]
        for i in range(20):
            sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        asked = []
        visible = Message.visible
        monkeypatch.setattr(
            Message, "visible", property(lambda m: asked.append(m) or visible.fget(m))
        )

        sqs.send_message(QueueUrl=url, MessageBody="one more")
        sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": f"b{i}", "MessageBody": f"b{i}"} for i in range(3)]
        )
        asked_while_sending = len(asked)
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]

        assert asked_while_sending == 0
        assert attributes["ApproximateNumberOfMessages"] == "24"
        assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        assert len(received["Messages"]) == 10
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessages"] == "14"
        assert attributes["ApproximateNumberOfMessagesNotVisible"] == "10"
