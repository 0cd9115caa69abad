use super::*;
use crate::privilege::sdk::sdk;

/// Each call as `action(s) @ called text [target]`.
fn found(lang: Lang, text: &str) -> Vec<String> {
    let fc = extract(lang, text);
    fc.calls
        .iter()
        .map(|c| {
            let op = sdk().operation(c.op);
            let t = match &c.target {
                Some(Target::Literal(s)) => format!(" [{s}]"),
                Some(Target::Env(s)) => format!(" [${s}]"),
                None => String::new(),
            };
            format!("{} @ {}{t}", op.actions.join("+"), &text[c.span.clone()])
        })
        .collect()
}

fn unknown(lang: Lang, text: &str) -> usize {
    extract(lang, text).unknown.len()
}

#[test]
fn python_clients_resources_and_sessions() {
    let code = r#"
import os
import boto3
from boto3.session import Session

s3 = boto3.client("s3")
TABLE = os.environ["TABLE"]
table = boto3.resource("dynamodb").Table(TABLE)
sqs = Session().client(service_name="sqs")

def handler(event, context):
    s3.put_object(Bucket="my-bucket", Key="k", Body=b"")
    s3.list_objects_v2(Bucket=os.environ.get("BUCKET"))
    table.put_item(Item={})
    table.query(KeyConditionExpression="x")
    sqs.send_message(QueueUrl=os.getenv("QUEUE"), MessageBody="m")
    s3.upload_file("/tmp/f", "b", "k")
    paginator = s3.get_paginator("list_objects_v2")
    s3.exceptions.NoSuchKey
"#;
    assert_eq!(
        found(Lang::Python, code),
        vec![
            "s3:PutObject @ put_object [my-bucket]",
            "s3:ListBucket @ list_objects_v2 [$BUCKET]",
            "dynamodb:PutItem @ put_item [$TABLE]",
            "dynamodb:Query @ query [$TABLE]",
            "sqs:SendMessage @ send_message [$QUEUE]",
            "s3:PutObject @ upload_file",
            "s3:ListBucket @ get_paginator",
        ]
    );
}

#[test]
fn python_clients_passed_around_and_on_self() {
    let code = r#"
import boto3

def save(client, key):
    client.put_object(Bucket="b", Key=key)

class Store:
    def __init__(self):
        self.ddb = boto3.client("dynamodb")
    def get(self):
        return self.ddb.get_item(TableName="t", Key={})

def handler(event, context):
    s3 = boto3.client("s3")
    save(s3, "k")
    bucket = boto3.resource("s3").Bucket("b")
    for o in bucket.objects.filter(Prefix="p"):
        pass
    bucket.objects.delete()
    boto3.resource("s3").meta.client.head_object(Bucket="b", Key="k")
"#;
    assert_eq!(
        found(Lang::Python, code),
        vec![
            "s3:PutObject @ put_object [b]",
            "dynamodb:GetItem @ get_item [t]",
            "s3:ListBucket @ filter [b]",
            "s3:DeleteObject @ delete [b]",
            "s3:GetObject @ head_object [b]",
        ]
    );
}

#[test]
fn python_unknown_stays_unknown() {
    let code = r#"
import boto3
name = get_service()
client = boto3.client(name)
client.put_object(Bucket="b")
s3 = boto3.client("s3")
getattr(s3, op)(Bucket="b")
other.put_object(Bucket="b")
"#;
    assert_eq!(found(Lang::Python, code), Vec::<String>::new());
    assert_eq!(unknown(Lang::Python, code), 2);
}

#[test]
fn javascript_v3_commands_and_document_client() {
    let code = r#"
import { S3Client, PutObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import * as sqs from "@aws-sdk/client-sqs";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const s3 = new S3Client({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.SAMPLE_TABLE;

export const handler = async (event) => {
  await s3.send(new PutObjectCommand({ Bucket: "uploads", Key: "k", Body: "x" }));
  const params = { TableName: tableName, Item: {} };
  await ddb.send(new PutCommand(params));
  await ddb.send(new QueryCommand({ TableName: process.env["SAMPLE_TABLE"] }));
  await getSignedUrl(s3, new GetObjectCommand({ Bucket: process.env.BUCKET, Key: "k" }));
  await new sqs.SQSClient({}).send(new sqs.SendMessageCommand({ QueueUrl: "u", MessageBody: "m" }));
};
"#;
    assert_eq!(
        found(Lang::JavaScript, code),
        vec![
            "s3:PutObject @ PutObjectCommand [uploads]",
            "dynamodb:PutItem @ PutCommand [$SAMPLE_TABLE]",
            "dynamodb:Query @ QueryCommand [$SAMPLE_TABLE]",
            "s3:GetObject @ GetObjectCommand [$BUCKET]",
            "sqs:SendMessage @ sqs.SendMessageCommand [u]",
        ]
    );
}

#[test]
fn javascript_v2_and_aggregated_clients() {
    let code = r#"
const AWS = require("aws-sdk");
const { S3 } = require("@aws-sdk/client-s3");
const docClient = new AWS.DynamoDB.DocumentClient();
const sfn = new AWS.StepFunctions();
const s3v3 = new S3({});

exports.handler = async () => {
  await docClient.put({ TableName: process.env.TABLE, Item: {} }).promise();
  await docClient.scan({ TableName: "t" }).promise();
  await sfn.startExecution({ stateMachineArn: process.env.SM, input: "{}" }).promise();
  await new AWS.S3().upload({ Bucket: "b", Key: "k", Body: "" }).promise();
  await s3v3.listObjectsV2({ Bucket: "b" });
  docClient[op]({});
};
"#;
    assert_eq!(
        found(Lang::JavaScript, code),
        vec![
            "dynamodb:PutItem @ put [$TABLE]",
            "dynamodb:Scan @ scan [t]",
            "states:StartExecution @ startExecution [$SM]",
            "s3:PutObject @ upload [b]",
            "s3:ListBucket @ listObjectsV2 [b]",
        ]
    );
    assert_eq!(unknown(Lang::JavaScript, code), 1);
}

#[test]
fn typescript_commands() {
    let code = r#"
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
const client: SNSClient = new SNSClient({});
export async function handler(): Promise<void> {
  await client.send(new PublishCommand({ TopicArn: process.env.TOPIC as string, Message: "m" }));
}
"#;
    assert_eq!(
        found(Lang::TypeScript, code),
        vec!["sns:Publish @ PublishCommand [$TOPIC]"]
    );
}

#[test]
fn go_clients_fields_and_paginators() {
    let code = r#"
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

type Handler struct {
	db *dynamodb.Client
}

var table = os.Getenv("TABLE")

func (h *Handler) get(ctx context.Context) {
	h.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table)})
}

func handle(ctx context.Context) error {
	cfg, _ := config.LoadDefaultConfig(ctx)
	client := s3.NewFromConfig(cfg)
	_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("my-bucket")})
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(os.Getenv("BUCKET"))})
	_ = p
	return err
}

func main() { lambda.Start(handle) }
"#;
    assert_eq!(
        found(Lang::Go, code),
        vec![
            "dynamodb:GetItem @ GetItem [$TABLE]",
            "s3:PutObject @ PutObject [my-bucket]",
            "s3:ListBucket @ NewListObjectsV2Paginator [$BUCKET]",
        ]
    );
}

#[test]
fn imports_and_scopes() {
    let py = extract(
        Lang::Python,
        "from lib.db import save, load\nimport helpers\nfrom . import util\ndef a():\n    b()\ndef b():\n    pass\ndef c():\n    pass\n",
    );
    assert_eq!(py.imports.len(), 3);
    assert_eq!(py.imports[0].names, vec!["save", "load"]);
    let reach = py.reachable(&["a".to_string()]).expect("some");
    assert!(reach.contains("a") && reach.contains("b") && !reach.contains("c"));
    let js = extract(
        Lang::JavaScript,
        "import { put } from './lib/db.js';\nconst x = require('../shared');\n",
    );
    assert_eq!(js.imports.len(), 2);
    assert_eq!(js.imports[0].spec, "./lib/db.js");
}

#[test]
fn go_sdk_v1_clients_and_method_forms() {
    let code = r#"
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/dynamodb"
	"github.com/aws/aws-sdk-go/service/s3/s3manager"
	"github.com/aws/aws-sdk-go/service/sqs"
)

type store struct {
	db *dynamodb.DynamoDB
}

func (s *store) scan(ctx context.Context) {
	s.db.ScanPagesWithContext(ctx, &dynamodb.ScanInput{TableName: aws.String("notes")}, nil)
}

func handle(ctx context.Context) error {
	sess := session.Must(session.NewSession())
	queue := sqs.New(sess)
	_, err := queue.SendMessageWithContext(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(os.Getenv("QUEUE_URL"))})
	req, _ := queue.DeleteMessageRequest(&sqs.DeleteMessageInput{})
	_ = req
	up := s3manager.NewUploader(sess)
	up.Upload(&s3manager.UploadInput{})
	queue.Endpoint()
	return err
}

func main() { lambda.Start(handle) }
"#;
    assert_eq!(
        found(Lang::Go, code),
        vec![
            "dynamodb:Scan @ ScanPagesWithContext [notes]",
            "sqs:SendMessage @ SendMessageWithContext [$QUEUE_URL]",
            "sqs:DeleteMessage @ DeleteMessageRequest",
            "s3:PutObject @ Upload",
        ]
    );
    let fc = extract(Lang::Go, code);
    assert!(fc.calls[1].sdk.ends_with("v1"), "{}", fc.calls[1].sdk);
}

#[test]
fn javascript_lib_storage_upload() {
    let code = r#"
import { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import * as storage from "@aws-sdk/lib-storage";
import { Upload as Other } from "./uploads.js";

const s3 = new S3Client({});

export const handler = async (event) => {
  await new Upload({ client: s3, params: { Bucket: "photos", Key: "k", Body: event.body } }).done();
  await new storage.Upload({ client: s3, params: {} }).done();
  await new Other({ client: s3 }).done();
};
"#;
    assert_eq!(
        found(Lang::JavaScript, code),
        vec!["s3:PutObject @ Upload", "s3:PutObject @ storage.Upload"]
    );
}
