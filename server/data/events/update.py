#!/usr/bin/env python3
"""Regenerates events.json, manifest.json and NOTICE from the upstream packages.

Sources (both permissively licensed, fetched with their registries' own clients into a temp folder):
  * the aws_lambda_events crate (MIT): JSON fixtures in src/fixtures/, fetched with `cargo fetch`;
  * the aws-sam-cli wheel (Apache-2.0): event templates in samcli/lib/generated_sample_events/,
    fetched with `pip download`, rendered with the defaults of its event-mapping.json.

Usage: python3 server/data/events/update.py   (needs cargo and pip, and registry access)
"""

import base64
import datetime
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile

CRATE = "aws_lambda_events"
CRATE_VERSION = "1.2.1"
WHEEL = "aws-sam-cli"
WHEEL_VERSION = "1.170.0"
HERE = os.path.dirname(os.path.abspath(__file__))

# name, description, SAM event types, serverless.yml event keys, detail (a Cognito trigger, an MQ broker
# kind, a stream type) or None, source ("crate:<fixture>" or "sam:<service>/<event>").
CATALOG = [
    ("apigateway-rest", "API Gateway REST API proxy request (payload format 1.0)", ["Api"], ["http"], None, "crate:example-apigw-request.json"),
    ("apigateway-rest-authorizer-token", "API Gateway REST API TOKEN authorizer request", [], [], None, "crate:example-apigw-custom-auth-request.json"),
    ("apigateway-rest-authorizer-request", "API Gateway REST API REQUEST authorizer request", [], [], None, "crate:example-apigw-custom-auth-request-type-request.json"),
    ("apigateway-http", "API Gateway HTTP API request (payload format 2.0)", ["HttpApi"], ["httpApi"], None, "crate:example-apigw-v2-request-no-authorizer.json"),
    ("apigateway-http-jwt", "API Gateway HTTP API request with a JWT authorizer", [], [], None, "crate:example-apigw-v2-request-jwt-authorizer.json"),
    ("apigateway-http-authorizer", "API Gateway HTTP API Lambda authorizer request (format 2.0)", [], [], None, "crate:example-apigw-v2-custom-authorizer-v2-request.json"),
    ("apigateway-websocket", "API Gateway WebSocket API message", [], ["websocket"], None, "crate:example-apigw-websocket-request.json"),
    ("function-url", "Lambda function URL request (function URLs send the HTTP API payload format 2.0)", [], [], None, "crate:example-apigw-v2-request-no-authorizer.json"),
    ("alb", "Application Load Balancer target request", [], ["alb"], None, "crate:example-alb-lambda-target-request-headers-only.json"),
    ("alb-multi-value", "Application Load Balancer request with multi-value headers", [], [], None, "crate:example-alb-lambda-target-request-multivalue-headers.json"),
    ("s3-put", "S3 object created notification", ["S3"], ["s3"], None, "crate:example-s3-event.json"),
    ("s3-delete", "S3 object removed notification", [], [], None, "sam:s3/delete"),
    ("s3-object-lambda", "S3 Object Lambda GetObject request", [], [], None, "crate:example-s3-object-lambda-event-get-object-iam.json"),
    ("sqs", "SQS messages batch", ["SQS"], ["sqs"], None, "crate:example-sqs-event.json"),
    ("sns", "SNS notification", ["SNS"], ["sns"], None, "crate:example-sns-event.json"),
    ("dynamodb-stream", "DynamoDB stream records", ["DynamoDB"], ["stream:dynamodb"], None, "crate:example-dynamodb-event.json"),
    ("kinesis", "Kinesis data stream records", ["Kinesis"], ["stream:kinesis"], None, "crate:example-kinesis-event.json"),
    ("firehose", "Kinesis Data Firehose transformation records", [], [], None, "crate:example-kinesis-firehose-event.json"),
    ("eventbridge", "EventBridge (CloudWatch Events) event", ["EventBridgeRule", "CloudWatchEvent"], ["eventBridge", "cloudwatchEvent"], None, "crate:example-eventbridge-event-obj.json"),
    ("schedule", "Scheduled event (EventBridge rule or Scheduler)", ["Schedule", "ScheduleV2"], ["schedule"], None, "crate:example-eventbridge-schedule.json"),
    ("cloudwatch-logs", "CloudWatch Logs subscription (gzipped, base64 data)", ["CloudWatchLogs"], ["cloudwatchLog"], None, "crate:example-cloudwatch_logs-event.json"),
    ("cloudwatch-alarm", "CloudWatch metric alarm state change", [], [], None, "crate:example-cloudwatch-alarm-metric.json"),
    ("cognito-sync", "Cognito Sync trigger", [], [], None, "crate:example-cognito-event.json"),
    ("cognito-pre-signup", "Cognito user pool pre sign-up trigger", ["Cognito:PreSignUp", "Cognito"], ["cognitoUserPool:PreSignUp", "cognitoUserPool"], None, "crate:example-cognito-event-userpools-presignup.json"),
    ("cognito-post-confirmation", "Cognito user pool post confirmation trigger", ["Cognito:PostConfirmation"], ["cognitoUserPool:PostConfirmation"], None, "crate:example-cognito-event-userpools-postconfirmation.json"),
    ("cognito-pre-authentication", "Cognito user pool pre authentication trigger", ["Cognito:PreAuthentication"], ["cognitoUserPool:PreAuthentication"], None, "crate:example-cognito-event-userpools-preauthentication.json"),
    ("cognito-post-authentication", "Cognito user pool post authentication trigger", ["Cognito:PostAuthentication"], ["cognitoUserPool:PostAuthentication"], None, "crate:example-cognito-event-userpools-postauthentication.json"),
    ("cognito-pre-token-generation", "Cognito user pool pre token generation trigger (V1)", ["Cognito:PreTokenGeneration"], ["cognitoUserPool:PreTokenGeneration"], None, "crate:example-cognito-event-userpools-pretokengen.json"),
    ("cognito-pre-token-generation-v2", "Cognito user pool pre token generation trigger (V2)", [], [], None, "crate:example-cognito-event-userpools-pretokengen-v2.json"),
    ("cognito-custom-message", "Cognito user pool custom message trigger", ["Cognito:CustomMessage"], ["cognitoUserPool:CustomMessage"], None, "crate:example-cognito-event-userpools-custommessage.json"),
    ("cognito-user-migration", "Cognito user pool user migration trigger", ["Cognito:UserMigration"], ["cognitoUserPool:UserMigration"], None, "crate:example-cognito-event-userpools-migrateuser.json"),
    ("cognito-define-auth-challenge", "Cognito user pool define auth challenge trigger", ["Cognito:DefineAuthChallenge"], ["cognitoUserPool:DefineAuthChallenge"], None, "crate:example-cognito-event-userpools-define-auth-challenge.json"),
    ("cognito-create-auth-challenge", "Cognito user pool create auth challenge trigger", ["Cognito:CreateAuthChallenge"], ["cognitoUserPool:CreateAuthChallenge"], None, "crate:example-cognito-event-userpools-create-auth-challenge.json"),
    ("cognito-verify-auth-challenge", "Cognito user pool verify auth challenge response trigger", ["Cognito:VerifyAuthChallengeResponse"], ["cognitoUserPool:VerifyAuthChallengeResponse"], None, "crate:example-cognito-event-userpools-verify-auth-challenge.json"),
    ("kafka", "Kafka records (Amazon MSK or self-managed Apache Kafka)", ["MSK", "SelfManagedKafka"], ["msk", "kafka"], None, "crate:example-kafka-event.json"),
    ("mq-activemq", "Amazon MQ for ActiveMQ messages", ["MQ"], ["activemq"], None, "crate:example-activemq-event.json"),
    ("mq-rabbitmq", "Amazon MQ for RabbitMQ messages", ["MQ:RabbitMQ"], ["rabbitmq"], None, "crate:example-rabbitmq-event.json"),
    ("documentdb", "DocumentDB change stream (insert)", ["DocumentDB"], [], None, "crate:example-documentdb-insert-event.json"),
    ("iot", "AWS IoT rule payload (IoT button message)", ["IoTRule"], ["iot"], None, "crate:example-iot_button-event.json"),
    ("alexa-skill", "Alexa Skills Kit launch request", ["AlexaSkill"], ["alexaSkill"], None, "sam:alexa-skills-kit/start-session"),
    ("alexa-smart-home", "Alexa Smart Home discovery request", [], ["alexaSmartHome"], None, "sam:alexa-smart-home/smart-home-discovery-request"),
    ("cloudformation-create", "CloudFormation custom resource Create request", [], [], None, "crate:example-cloudformation-custom-resource-create-request.json"),
    ("cloudformation-update", "CloudFormation custom resource Update request", [], [], None, "crate:example-cloudformation-custom-resource-update-request.json"),
    ("cloudformation-delete", "CloudFormation custom resource Delete request", [], [], None, "crate:example-cloudformation-custom-resource-delete-request.json"),
    ("ses", "SES email receiving", [], [], None, "crate:example-ses-event.json"),
    ("codecommit", "CodeCommit repository trigger", [], [], None, "crate:example-code_commit-event.json"),
    ("codepipeline-job", "CodePipeline job", [], [], None, "crate:example-codepipeline_job-event.json"),
    ("config-rule", "AWS Config rule evaluation", [], [], None, "crate:example-config-event.json"),
    ("appsync-resolver", "AppSync direct Lambda resolver", [], [], None, "crate:example-appsync-direct-resolver.json"),
    ("appsync-authorizer", "AppSync Lambda authorizer request", [], [], None, "crate:example-appsync-lambda-auth-request.json"),
    ("lex", "Amazon Lex V1 bot event", [], [], None, "crate:example-lex-event.json"),
    ("secretsmanager-rotation", "Secrets Manager rotation step", [], [], None, "crate:example-secretsmanager-secret-rotation-event.json"),
    ("bedrock-agent", "Bedrock agent action group request", [], [], None, "crate:example-bedrock-agent-runtime-event.json"),
    ("connect", "Amazon Connect contact flow event", [], [], None, "crate:example-connect-event.json"),
    ("vpc-lattice", "VPC Lattice request (version 2.0)", [], [], None, "crate:example-vpc-lattice-v2-request.json"),
    ("autoscaling-lifecycle", "EC2 Auto Scaling lifecycle action", [], [], None, "crate:example-autoscaling-event-lifecycle-action.json"),
    ("ecr-image-scan", "ECR image scan completed", [], [], None, "crate:example-ecr-image-scan-event.json"),
]


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def crate_dir(tmp):
    proj = os.path.join(tmp, "fetch")
    os.makedirs(os.path.join(proj, "src"))
    with open(os.path.join(proj, "Cargo.toml"), "w") as f:
        f.write(
            '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n'
            f'{CRATE} = {{ version = "={CRATE_VERSION}", default-features = false }}\n'
        )
    open(os.path.join(proj, "src", "lib.rs"), "w").close()
    run(["cargo", "fetch"], proj)
    meta = json.loads(run(["cargo", "metadata", "--format-version", "1"], proj))
    for p in meta["packages"]:
        if p["name"] == CRATE and p["version"] == CRATE_VERSION:
            return os.path.dirname(p["manifest_path"])
    sys.exit(f"{CRATE} {CRATE_VERSION} not found after cargo fetch")


def sam_wheel(tmp):
    out = os.path.join(tmp, "wheel")
    run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", out, f"{WHEEL}=={WHEEL_VERSION}"], tmp)
    (name,) = [n for n in os.listdir(out) if n.endswith(".whl")]
    return zipfile.ZipFile(os.path.join(out, name))


def render_sam(wheel, service, event):
    base = "samcli/lib/generated_sample_events/"
    mapping = json.loads(wheel.read(base + "event-mapping.json"))[service][event]
    text = wheel.read(f"{base}events/{service}/{mapping['filename']}.json").decode()
    for tag, spec in mapping.get("tags", {}).items():
        key = tag.replace("-", "_")
        value = str(spec.get("default", ""))
        encoding = spec.get("encoding")
        if encoding == "url":
            value = urllib.parse.quote(value)
        elif encoding == "base64":
            value = base64.b64encode(value.encode()).decode()
        elif encoding is not None:
            sys.exit(f"sam:{service}/{event}: encoding {encoding} of tag {tag} is not supported")
        text = text.replace("{{{%s}}}" % key, value).replace("{{%s}}" % key, value)
    if "{{" in text:
        sys.exit(f"sam:{service}/{event}: unrendered placeholders remain")
    return json.loads(text)


def main():
    today = datetime.date.today().isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        crate = crate_dir(tmp)
        wheel = sam_wheel(tmp)
        events = []
        for name, description, sam, sls, _detail, source in CATALOG:
            kind, _, ref = source.partition(":")
            if kind == "crate":
                with open(os.path.join(crate, "src", "fixtures", ref)) as f:
                    event = json.load(f)
                provenance = f"{CRATE} {CRATE_VERSION} src/fixtures/{ref}"
            else:
                service, _, ev = ref.partition("/")
                event = render_sam(wheel, service, ev)
                provenance = f"{WHEEL} {WHEEL_VERSION} samcli/lib/generated_sample_events ({service} {ev}, defaults rendered)"
            events.append({"name": name, "description": description, "sam": sam, "serverless": sls, "source": provenance, "event": event})
        with open(os.path.join(crate, "LICENSE")) as f:
            crate_license = f.read()
        wheel_license = next(
            wheel.read(n).decode() for n in wheel.namelist() if n.endswith(".dist-info/LICENSE") or n.endswith("licenses/LICENSE")
        )
        notices = [n for n in wheel.namelist() if n.endswith("NOTICE")]
        wheel_notice = wheel.read(notices[0]).decode() if notices else ""
    with open(os.path.join(HERE, "events.json"), "w") as f:
        json.dump({"events": events}, f, indent=1, sort_keys=False)
        f.write("\n")
    from_crate = sum(1 for e in events if e["source"].startswith(CRATE))
    manifest = {
        "generated": today,
        "script": "server/data/events/update.py",
        "count": len(events),
        "sources": [
            {"package": CRATE, "registry": "crates.io", "version": CRATE_VERSION, "license": "MIT", "files": "src/fixtures/*.json", "events": from_crate},
            {"package": WHEEL, "registry": "PyPI", "version": WHEEL_VERSION, "license": "Apache-2.0", "files": "samcli/lib/generated_sample_events/", "events": len(events) - from_crate},
        ],
    }
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(HERE, "NOTICE"), "w") as f:
        f.write("Sample events in events.json come from two third-party packages; their licences follow.\n\n")
        f.write(f"== {CRATE} {CRATE_VERSION} (MIT) ==\n\n{crate_license.strip()}\n\n")
        f.write(f"== {WHEEL} {WHEEL_VERSION} (Apache-2.0) ==\n\n{wheel_notice.strip()}\n\n{wheel_license.strip()}\n")
    print(f"{len(events)} events written")


if __name__ == "__main__":
    main()
