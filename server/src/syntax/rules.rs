//! Rules about the text itself: it must parse, keys must be unique, and limits keep bad input harmless.

use crate::rules::{Rule, Severity};

pub static PARSE_ERROR: Rule = Rule {
    id: "syntax/parse-error",
    severity: Severity::Error,
    summary: "the JSON or YAML does not parse",
    docs: "The file is not valid JSON or YAML at this point. CloudFormation, the Serverless Framework and IAM \
           all reject a document that does not parse, and every other check only sees the parts that did.",
    bad: &[("policy.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\" \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]\n}\n")],
    good: &[("policy.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]\n}\n")],
};

pub static DUPLICATE_KEY: Rule = Rule {
    id: "syntax/duplicate-key",
    severity: Severity::Error,
    summary: "the same key appears twice in one mapping",
    docs: "A mapping holds a key twice. Loaders keep only the last value, silently: CloudFormation rejects the \
           template, and in a policy the first value is lost without a word.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Queue:\n    Type: AWS::SNS::Topic\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n")],
};

pub static TOO_DEEP: Rule = Rule {
    id: "syntax/too-deep",
    severity: Severity::Error,
    summary: "nesting deeper than lambda-ls reads",
    docs: "The document nests values more than 256 levels deep. No real template or policy does; the rest of \
           the value is not read so that hostile input cannot exhaust the stack.",
    bad: &[],
    good: &[],
};

pub static BAD_ALIAS: Rule = Rule {
    id: "syntax/alias",
    severity: Severity::Error,
    summary: "a YAML alias refers to nothing, or aliases expand without bound",
    docs: "A YAML alias (`*name`) must refer to an anchor (`&name`) defined before it. Expansion is bounded: \
           a document whose aliases expand to more than 200,000 nodes (a \"billion laughs\" bomb) is cut off \
           at the first alias past the limit.",
    bad: &[("serverless.yml", "service: demo\nprovider:\n  name: aws\n  environment: *defaults\nfunctions: {}\n")],
    good: &[("serverless.yml", "service: demo\ncustom:\n  defaults: &defaults\n    STAGE: dev\nprovider:\n  name: aws\n  environment: *defaults\nfunctions: {}\n")],
};

pub static PARSE_TIMEOUT: Rule = Rule {
    id: "syntax/parse-timeout",
    severity: Severity::Error,
    summary: "the file took too long to parse",
    docs: "Parsing stopped after its time budget, so the file was not checked. This only happens on very large \
           or pathological input.",
    bad: &[],
    good: &[],
};

pub static ENCODING: Rule = Rule {
    id: "syntax/encoding",
    severity: Severity::Error,
    summary: "the file is not UTF-8 text",
    docs: "A template, serverless.yml or policy must be UTF-8 text. This file holds bytes that are not valid \
           UTF-8 (or NUL bytes, which mark a binary file), so it was not checked.",
    bad: &[],
    good: &[],
};

pub static TOO_LARGE: Rule = Rule {
    id: "syntax/too-large",
    severity: Severity::Warning,
    summary: "the file is larger than lambda-ls checks",
    docs: "The file is over the size limit (8 MiB by default), so it was skipped. CloudFormation itself accepts \
           templates of at most 1 MB; a larger file is almost certainly not one.",
    bad: &[],
    good: &[],
};

pub static RULES: &[&Rule] = &[
    &PARSE_ERROR,
    &DUPLICATE_KEY,
    &TOO_DEEP,
    &BAD_ALIAS,
    &PARSE_TIMEOUT,
    &ENCODING,
    &TOO_LARGE,
];
