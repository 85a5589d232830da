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
    from moto.glue.models import FakeCrawler

    assert "patched" in (FakeCrawler.as_dict.__doc__ or "")


def test_patched_glue_reports_the_last_finished_crawl_as_aws_does(launcher):
    launcher.patch_moto()
    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_crawler(
            Name="raw",
            Role="arn:aws:iam::123456789012:role/crawler",
            DatabaseName="lake",
            Targets={"S3Targets": [{"Path": "s3://lake/raw/"}]},
        )
        before = glue.get_crawler(Name="raw")["Crawler"]
        glue.start_crawler(Name="raw")
        running = glue.get_crawler(Name="raw")["Crawler"]
        from moto.glue.models import glue_backends

        crawl = glue_backends["123456789012"]["us-east-1"].crawlers["raw"].crawls[-1]
        crawl.status = "COMPLETED"
        done = glue.get_crawler(Name="raw")["Crawler"]
        glue.start_crawler(Name="raw")
        second = glue.get_crawler(Name="raw")["Crawler"]

    assert "LastCrawl" not in before
    assert running["State"] == "RUNNING" and "LastCrawl" not in running
    assert done["State"] == "READY" and done["LastCrawl"]["Status"] == "SUCCEEDED"
    # While the second crawl runs, the last finished one is still the first
    assert second["State"] == "RUNNING"
    assert second["LastCrawl"]["Status"] == "SUCCEEDED"
    assert second["LastCrawl"]["MessagePrefix"] == done["LastCrawl"]["MessagePrefix"]


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


def test_sqs_sends_receives_and_attribute_reads_pass_over_the_queue_at_most_twice(
    launcher, monkeypatch
):
    launcher.patch_moto()
    from moto.sqs.models import Message, SQSBackend

    assert "patched" in (SQSBackend.send_message.__doc__ or "")
    assert "patched" in (SQSBackend.get_queue_attributes.__doc__ or "")
    queued = 30
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="events")["QueueUrl"]
        for i in range(queued):
            sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        asked = []
        visible = Message.visible
        monkeypatch.setattr(
            Message, "visible", property(lambda m: asked.append(m) or visible.fget(m))
        )

        def asks(call):
            asked.clear()
            result = call()
            return len(asked), result

        sent, _ = asks(lambda: sqs.send_message(QueueUrl=url, MessageBody="one more"))
        batched, _ = asks(
            lambda: sqs.send_message_batch(
                QueueUrl=url, Entries=[{"Id": f"b{i}", "MessageBody": f"b{i}"} for i in range(3)]
            )
        )
        received, messages = asks(
            lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        )
        read, attributes = asks(
            lambda: sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                    "MessageRetentionPeriod",
                ],
            )
        )

        # moto's own: 2 passes per send, 6 per message received (its retention check) and
        # 6 per attribute name read
        assert (sent, batched) == (0, 0)
        total = queued + 4
        assert received <= 2 * total
        assert read <= 2 * total
        assert len(messages["Messages"]) == 10
        assert attributes["Attributes"] == {
            "ApproximateNumberOfMessages": str(total - 10),
            "ApproximateNumberOfMessagesNotVisible": "10",
            "MessageRetentionPeriod": "345600",
        }


def test_sqs_delete_keeps_moto_semantics_without_scanning_the_queue(launcher, monkeypatch):
    launcher.patch_moto()
    from moto.sqs.models import Message, Queue

    assert "patched" in (Queue.delete_message.__doc__ or "")
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="events")["QueueUrl"]
        for i in range(30):
            sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=1)
        stale = first["Messages"][0]["ReceiptHandle"]
        time.sleep(1.1)
        again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        checked = []
        had = Message.had_receipt_handle
        monkeypatch.setattr(
            Message, "had_receipt_handle", lambda m, h: checked.append(m) or had(m, h)
        )

        deleted = sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(again["Messages"])
            ],
        )
        sqs.delete_message(QueueUrl=url, ReceiptHandle=again["Messages"][1]["ReceiptHandle"])
        with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid):
            sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-handle")
        left = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]

        assert len(deleted["Successful"]) == 10
        assert checked == []
        bodies = {m["Body"] for m in again["Messages"]}
        assert {m["Body"] for m in first["Messages"]} <= bodies  # the same 10, received again
        assert left["ApproximateNumberOfMessages"] == "20"
        assert left["ApproximateNumberOfMessagesNotVisible"] == "0"
        sqs.delete_message(QueueUrl=url, ReceiptHandle=stale)  # an old handle of a deleted one
        rest = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        sqs.delete_message(QueueUrl=url, ReceiptHandle=rest["Messages"][0]["ReceiptHandle"])
        after = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert after["ApproximateNumberOfMessages"] == "10"
        assert after["ApproximateNumberOfMessagesNotVisible"] == "9"
        assert not bodies & {m["Body"] for m in rest["Messages"]}
