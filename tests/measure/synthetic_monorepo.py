#!/usr/bin/env python3
"""Writes a synthetic monorepo of N SAM/CloudFormation templates for the CI speed and memory measurement.

    synthetic_monorepo.py OUT_DIR [N]     (default N = 10000)

Each service folder holds one template (SAM with Globals, functions with events and inline policies, roles,
queues, tables; 1–6 functions, a few hundred lines at most) and its handler file. Mistakes are planted at fixed
rates so the run has findings to report: one template in 10 has an unknown runtime, one in 7 an invalid policy
Version, one in 13 a suppressed finding, one in 50 does not parse. Deterministic: the same N gives the same
files. A `.git` folder marks OUT_DIR as a repository root and a `lambda-ls.toml` sets the lifecycle date.
"""
import pathlib
import random
import sys

RUNTIMES = ["python3.13", "python3.12", "nodejs22.x", "nodejs20.x", "java21", "provided.al2023", "ruby3.3"]


def function(i, j, rng, bad_runtime, suppressed):
    runtime = "python3.99" if bad_runtime and j == 0 else rng.choice(RUNTIMES)
    comment = "  # lambda-ls: ignore[function/unknown-runtime]" if suppressed and j == 0 else ""
    if suppressed and j == 0:
        runtime = "python3.98"
    return f"""  Fn{j}:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub '${{AWS::StackName}}-svc{i}-fn{j}'
      CodeUri: src/
      Handler: app.handler{j}
      Runtime: {runtime}{comment}
      MemorySize: {rng.choice([128, 256, 512, 1024])}
      Timeout: {rng.choice([3, 10, 30, 60])}
      Environment:
        Variables:
          TABLE: !Ref Table
          QUEUE_URL: !Ref Queue
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
        - Statement:
            - Effect: Allow
              Action:
                - sqs:SendMessage
                - sqs:GetQueueAttributes
              Resource: !GetAtt Queue.Arn
      Events:
        Api:
          Type: Api
          Properties:
            Path: /svc{i}/fn{j}
            Method: {rng.choice(['get', 'post', 'put'])}
"""


def template(i, rng):
    bad_runtime = i % 10 == 3
    bad_version = i % 7 == 2
    suppressed = i % 13 == 5
    broken = i % 50 == 49
    n_fn = 1 + i % 6
    version = "'2012-10-18'" if bad_version else "'2012-10-17'"
    body = [f"""AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: service {i}
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Tracing: Active
    Architectures: [arm64]
Resources:
"""]
    body += [function(i, j, rng, bad_runtime, suppressed) for j in range(n_fn)]
    body.append(f"""  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
  Queue:
    Type: AWS::SQS::Queue
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: worker
          PolicyDocument:
            Version: {version}
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Resource: !Sub 'arn:${{AWS::Partition}}:s3:::bucket-{i}/*'
Outputs:
  Api:
    Value: !Sub 'https://${{ServerlessRestApi}}.execute-api.${{AWS::Region}}.amazonaws.com/Prod/'
""")
    text = "".join(body)
    if broken:
        text = text.replace("Resources:\n", "Resources:\n  Broken: [unclosed\n", 1)
    return text, n_fn


def main():
    out = pathlib.Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rng = random.Random(20261127)
    (out / ".git").mkdir(parents=True, exist_ok=True)
    (out / "lambda-ls.toml").write_text("as-of = 2026-11-27\n")
    for i in range(n):
        svc = out / "services" / f"group-{i // 100:03d}" / f"svc-{i:05d}"
        (svc / "src").mkdir(parents=True, exist_ok=True)
        text, n_fn = template(i, rng)
        (svc / "template.yaml").write_text(text)
        (svc / "src" / "app.py").write_text("".join(f"def handler{j}(event, context):\n    return {{}}\n\n" for j in range(n_fn)))
    print(f"{n} templates in {out}")


if __name__ == "__main__":
    main()
