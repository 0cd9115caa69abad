//! The function family's rules: ids, severities, docs and the failing and passing example of each.

use crate::rules::{Rule, Severity};

/// A SAM template with one function whose properties follow (indented six spaces).
macro_rules! sam {
    ($props:literal) => {
        concat!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n",
            $props
        )
    };
}

/// A CloudFormation template with one `AWS::Lambda::Function` whose properties follow (six spaces).
macro_rules! cfn {
    ($props:literal) => {
        concat!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::123456789012:role/fn\n",
            $props
        )
    };
}

// Rule examples judge lifecycle rules on a fixed date so that they keep meaning the same thing.
const AS_OF: (&str, &str) = ("lambda-ls.toml", "as-of = 2026-11-27\n");

pub static UNKNOWN_RUNTIME: Rule = Rule {
    id: "function/unknown-runtime",
    severity: Severity::Error,
    summary: "`Runtime` is not a Lambda runtime identifier",
    docs: "The function's `Runtime` is not one of the identifiers Lambda knows (`python3.13`, `nodejs22.x`, \
           `provided.al2023`, …), so the deployment fails. The list comes from the Lambda API model and \
           CloudFormation's schema, embedded with their versions; the quick fix offers the closest identifiers.",
    bad: &[("template.yaml", sam!("      Runtime: python3.99\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static DEPRECATED_RUNTIME: Rule = Rule {
    id: "function/deprecated-runtime",
    severity: Severity::Warning,
    summary: "the runtime is deprecated: no more security patches",
    docs: "Lambda deprecated this runtime: it no longer receives security patches or support, and on the dates \
           in the message Lambda first blocks creating functions on it, then blocks updating them. Dates come \
           from cfn-lint's runtime lifecycle data (embedded, versioned) and are judged against today, or against \
           `as-of` in `lambda-ls.toml` for reproducible CI. The quick fix moves to the successor runtime.",
    bad: &[("template.yaml", sam!("      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: 'exports.handler = async () => 1'\n")), AS_OF],
    good: &[("template.yaml", sam!("      Runtime: nodejs24.x\n      Handler: index.handler\n      InlineCode: 'exports.handler = async () => 1'\n")), AS_OF],
};

pub static RUNTIME_CREATE_BLOCKED: Rule = Rule {
    id: "function/runtime-create-blocked",
    severity: Severity::Error,
    summary: "Lambda no longer creates functions on this runtime",
    docs: "The runtime passed its create-block date: deploying a new function (or a new stack, or a stack in a \
           new account or Region) on it fails. Existing functions can still be updated until the update-block \
           date in the message. The quick fix moves to the successor runtime.",
    bad: &[("template.yaml", sam!("      Runtime: go1.x\n      Handler: bootstrap\n      CodeUri: s3://bucket/fn.zip\n")), AS_OF],
    good: &[("template.yaml", sam!("      Runtime: provided.al2023\n      Handler: bootstrap\n      CodeUri: s3://bucket/fn.zip\n")), AS_OF],
};

pub static RUNTIME_UPDATE_BLOCKED: Rule = Rule {
    id: "function/runtime-update-blocked",
    severity: Severity::Error,
    summary: "Lambda no longer updates functions on this runtime",
    docs: "The runtime passed its update-block date: neither creating nor updating a function on it works, so \
           any deployment that touches the function fails. The quick fix moves to the successor runtime.",
    bad: &[("template.yaml", sam!("      Runtime: python2.7\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n")), AS_OF],
    good: &[("template.yaml", sam!("      Runtime: python3.14\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n")), AS_OF],
};

pub static MEMORY_SIZE: Rule = Rule {
    id: "function/memory-size",
    severity: Severity::Error,
    summary: "`MemorySize` is outside what Lambda allows",
    docs: "Memory is a whole number of MB from 128 to 10,240 for standard functions; Lambda Managed Instances \
           (`CapacityProviderConfig`) allow up to 32,768. Values above the standard maximum without a capacity \
           provider are a warning, values outside the API's range an error. The bounds live in the embedded \
           limits data with their source and date.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      MemorySize: 64\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      MemorySize: 1024\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static TIMEOUT: Rule = Rule {
    id: "function/timeout",
    severity: Severity::Error,
    summary: "`Timeout` is outside what Lambda allows",
    docs: "The timeout is whole seconds from 1 to the maximum in the embedded limits data: 1,800 s since AWS \
           raised it from 900 s in November 2026, and 5,400 s for Lambda Managed Instances \
           (`CapacityProviderConfig`). A larger value fails the deployment.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Timeout: 3600\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Timeout: 900\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static EPHEMERAL_STORAGE: Rule = Rule {
    id: "function/ephemeral-storage",
    severity: Severity::Error,
    summary: "`EphemeralStorage.Size` is outside 512–10,240 MB",
    docs: "The `/tmp` size is a whole number of MB from 512 to 10,240 (the embedded limits data); anything else \
           fails the deployment.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      EphemeralStorage:\n        Size: 256\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      EphemeralStorage:\n        Size: 2048\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static RESERVED_CONCURRENCY: Rule = Rule {
    id: "function/reserved-concurrency",
    severity: Severity::Error,
    summary: "`ReservedConcurrentExecutions` is negative, fractional, or zero",
    docs: "Reserved concurrency is a whole number, 0 or more. Zero is legal but throttles every invocation, so \
           the function never runs: that is a warning. The account must also keep 100 executions unreserved.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      ReservedConcurrentExecutions: 0\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      ReservedConcurrentExecutions: 10\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static ARCHITECTURES: Rule = Rule {
    id: "function/architectures",
    severity: Severity::Error,
    summary: "`Architectures` must be exactly one of `x86_64` or `arm64`",
    docs: "A function runs on one instruction set: `Architectures` is a list with exactly one item, `x86_64` \
           or `arm64` (serverless.yml: `architecture`, a single string). Common misspellings (`arm`, \
           `aarch64`, `amd64`, `x86-64`) get a quick fix.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Architectures: [aarch64]\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Architectures: [arm64]\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static LAYERS: Rule = Rule {
    id: "function/layers",
    severity: Severity::Error,
    summary: "more than five layers, a duplicate, or a malformed layer ARN",
    docs: "A function uses at most five layers, each once, each named by a layer version ARN \
           (`arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`). A layer ARN without its version number is the \
           most common mistake.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Layers:\n        - arn:aws:lambda:us-east-1:123456789012:layer:deps\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Layers:\n        - arn:aws:lambda:us-east-1:123456789012:layer:deps:3\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static FUNCTION_NAME: Rule = Rule {
    id: "function/function-name",
    severity: Severity::Error,
    summary: "`FunctionName` has characters or a length Lambda rejects",
    docs: "A function name takes letters, digits, `-` and `_`, at most 64 characters. Note that setting a \
           name means CloudFormation must replace the function to rename it.",
    bad: &[("template.yaml", sam!("      FunctionName: my.function\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      FunctionName: my-function\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static HANDLER_FORMAT: Rule = Rule {
    id: "function/handler-format",
    severity: Severity::Error,
    summary: "`Handler` does not have the shape its runtime expects",
    docs: "The handler string is at most 128 characters without whitespace, and its shape depends on the \
           runtime: `file.function` for Python and Node.js (a Python handler names a module, so no `.py`), \
           `file.method` or `file.Module::Class.method` for Ruby, `package.Class::method` for Java, \
           `Assembly::Namespace.Class::Method` for .NET. A wrong shape fails at the first invocation with \
           `Runtime.HandlerNotFound` or `Runtime.MalformedHandlerName`.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.py.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static ENV_KEY: Rule = Rule {
    id: "function/env-key",
    severity: Severity::Error,
    summary: "an environment variable name Lambda rejects",
    docs: "Lambda accepts environment variable names that start with a letter followed by at least one \
           letter, digit or underscore (`^[a-zA-Z][a-zA-Z0-9_]+$`, anchored: cfn-lint's unanchored check lets \
           `1BAD` through and rejects `A`). The Serverless Framework accepts more than Lambda does.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Environment:\n        Variables:\n          TABLE-NAME: orders\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Environment:\n        Variables:\n          TABLE_NAME: orders\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static RESERVED_ENV_KEY: Rule = Rule {
    id: "function/reserved-env-key",
    severity: Severity::Error,
    summary: "the function sets an environment variable Lambda reserves",
    docs: "Lambda sets these variables itself (`AWS_REGION`, `AWS_LAMBDA_FUNCTION_NAME`, `_HANDLER`, the \
           credentials, `TZ`, …) and rejects a function that sets them. The list is cfn-lint's, plus `TZ`, \
           which the Lambda documentation reserves as well.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Environment:\n        Variables:\n          AWS_REGION: eu-west-1\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Environment:\n        Variables:\n          TARGET_REGION: eu-west-1\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static ENV_SIZE: Rule = Rule {
    id: "function/env-size",
    severity: Severity::Error,
    summary: "environment variables exceed 4 KB",
    docs: "All of a function's environment variables together, keys and values, may take at most 4 KB. \
           Values computed at deploy time are not counted, so the check never guesses.",
    bad: &[("template.yaml", concat!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      Environment:\n        Variables:\n          BLOB: '",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
        "'\n"
    ))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      Environment:\n        Variables:\n          BLOB: '0123456789'\n"))],
};

pub static PACKAGE_TYPE: Rule = Rule {
    id: "function/package-type",
    severity: Severity::Error,
    summary: "`PackageType` and the properties it needs or forbids disagree",
    docs: "A container image function (`PackageType: Image`) takes no `Handler`, `Runtime` or `Layers` (the \
           image's entry point and command decide what runs) and needs an image (`ImageUri`, `Code.ImageUri`, \
           or SAM's `Metadata.DockerContext`). A .zip function needs both `Handler` and `Runtime`. In \
           serverless.yml a function takes either `handler` or `image`.",
    bad: &[("template.yaml", sam!("      PackageType: Image\n      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1\n      Runtime: python3.13\n"))],
    good: &[("template.yaml", sam!("      PackageType: Image\n      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1\n"))],
};

pub static INLINE_CODE: Rule = Rule {
    id: "function/inline-code",
    severity: Severity::Error,
    summary: "inline code with a runtime or handler that cannot run it",
    docs: "Inline code (`Code.ZipFile`, SAM `InlineCode`) works with Node.js and Python runtimes only, and \
           Lambda saves it as `index.js` or `index.py`, so the handler must be `index.<function>`.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static INVALID_PROPERTY: Rule = Rule {
    id: "function/invalid-property",
    severity: Severity::Error,
    summary: "a property value does not match the resource schema",
    docs: "The value has the wrong type, is not one of the allowed values, or is outside a bound, length or \
           pattern of the `AWS::Lambda::Function` or `AWS::Serverless::Function` schema (embedded from cfn-lint, \
           which generates the SAM one from aws-sam-translator). CloudFormation's leniency is kept: a number \
           written as a string is a number. Intrinsics and parameters are never wrong.",
    bad: &[("template.yaml", cfn!("      Runtime: python3.13\n      Handler: index.handler\n      TracingConfig:\n        Mode: Passive\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", cfn!("      Runtime: python3.13\n      Handler: index.handler\n      TracingConfig:\n        Mode: PassThrough\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n"))],
};

pub static UNKNOWN_PROPERTY: Rule = Rule {
    id: "function/unknown-property",
    severity: Severity::Error,
    summary: "a property the resource type does not have",
    docs: "CloudFormation (and SAM) reject a property the resource schema does not define. The message names \
           the closest known property, and the quick fix renames the key.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      MemmorySize: 512\n      InlineCode: 'def handler(e, c): pass'\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      MemorySize: 512\n      InlineCode: 'def handler(e, c): pass'\n"))],
};

pub static MISSING_PROPERTY: Rule = Rule {
    id: "function/missing-property",
    severity: Severity::Error,
    summary: "a required property is missing",
    docs: "The resource schema requires this property (for example `Code` and `Role` on \
           `AWS::Lambda::Function`, `Type` and `Properties` on a SAM event), so the deployment fails without it.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n")],
    good: &[("template.yaml", cfn!("      Runtime: python3.13\n      Handler: index.handler\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n"))],
};

pub static UNKNOWN_EVENT_TYPE: Rule = Rule {
    id: "function/unknown-event-type",
    severity: Severity::Error,
    summary: "an event type SAM or the Serverless Framework does not know",
    docs: "A SAM event's `Type` must be one of the types of the embedded SAM schema (`Api`, `HttpApi`, `SQS`, \
           `S3`, `Schedule`, …); a serverless.yml event's key one of the framework's (`http`, `httpApi`, `sqs`, \
           `s3`, `schedule`, …, from the embedded osls schema). The quick fix offers the closest type. In \
           serverless.yml the framework only warns unless `configValidationMode: error`, and plugins may \
           define events, so the severity follows.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Hourly:\n          Type: Schedul\n          Properties:\n            Schedule: rate(1 hour)\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Hourly:\n          Type: Schedule\n          Properties:\n            Schedule: rate(1 hour)\n"))],
};

pub static API_TIMEOUT: Rule = Rule {
    id: "function/api-timeout",
    severity: Severity::Warning,
    summary: "the function may run longer than API Gateway waits",
    docs: "API Gateway stops waiting for a Lambda integration after 29 s (REST APIs, `Api` / `http` events) or \
           30 s (HTTP APIs, `HttpApi` / `httpApi`). A longer function timeout means callers get a 504 while the \
           function keeps running and billing. The REST limit can be raised by a quota request for Regional \
           and private APIs, hence a warning.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Timeout: 60\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /\n            Method: get\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      Timeout: 20\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /\n            Method: get\n"))],
};

pub static SQS_VISIBILITY_TIMEOUT: Rule = Rule {
    id: "function/sqs-visibility-timeout",
    severity: Severity::Error,
    summary: "the SQS queue's visibility timeout is shorter than the function's timeout",
    docs: "Lambda refuses an SQS event source mapping when the queue's `VisibilityTimeout` (30 s by default) \
           is below the function's timeout, so the deployment fails. AWS recommends six times the function \
           timeout; the quick fix sets that.",
    bad: &[("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Timeout: 60\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue.Arn\n")],
    good: &[("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 360\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Timeout: 60\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue.Arn\n")],
};

pub static EVENT_SOURCE_PERMISSIONS: Rule = Rule {
    id: "function/event-source-permissions",
    severity: Severity::Error,
    summary: "the function's role cannot read the event source Lambda polls for it",
    docs: "For an SQS queue, Kinesis stream or DynamoDB stream, Lambda reads the source with the function's \
           execution role and checks those permissions when the event source mapping is created: without them \
           (`sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes`; the Kinesis and DynamoDB \
           stream read actions) the deployment fails. Checked when the role is in the same template and all \
           of its policies can be read; SAM's and the Serverless Framework's generated roles get the \
           permissions automatically.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: !Ref Fn\n      EventSourceArn: !GetAtt Queue.Arn\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: !Ref Fn\n      EventSourceArn: !GetAtt Queue.Arn\n")],
};

pub static NO_LOG_PERMISSIONS: Rule = Rule {
    id: "function/no-log-permissions",
    severity: Severity::Warning,
    summary: "the function's role cannot write CloudWatch Logs: its logs are silently lost",
    docs: "Lambda writes a function's output with the function's own role. A role without \
           `logs:CreateLogStream` and `logs:PutLogEvents` does not stop the function, but every log line and \
           error is dropped without a trace. Checked when the role is in the same template and all of its \
           policies can be read; attach `AWSLambdaBasicExecutionRole` or grant the actions.",
    bad: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n")],
    good: &[("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n      ManagedPolicyArns:\n        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n")],
};

pub static EVENT_SOURCE_MAPPING: Rule = Rule {
    id: "function/event-source-mapping",
    severity: Severity::Error,
    summary: "event source mapping settings Lambda rejects for this kind of source",
    docs: "Kinesis and DynamoDB streams need a `StartingPosition`; SQS queues refuse one. A FIFO queue delivers \
           at most 10 messages per batch, and a standard queue takes a `BatchSize` above 10 only with \
           `MaximumBatchingWindowInSeconds` of at least 1. Checked on `AWS::Lambda::EventSourceMapping` \
           resources, SAM `SQS`/`Kinesis`/`DynamoDB` events and serverless.yml `sqs`/`stream` events.",
    bad: &[("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue.Arn\n            BatchSize: 50\n            MaximumBatchingWindowInSeconds: 5\n")],
    good: &[("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue.Arn\n            BatchSize: 10\n")],
};

pub static PROPERTY_DEPENDENCY: Rule = Rule {
    id: "function/property-dependency",
    severity: Severity::Error,
    summary: "a property that needs, or cannot go with, another",
    docs: "Some function properties only work together: SAM's `DeploymentPreference` and \
           `ProvisionedConcurrencyConfig` apply to the alias `AutoPublishAlias` publishes, so they need it; a \
           function takes `InlineCode` or `CodeUri`, not both; Lambda Managed Instances \
           (`CapacityProviderConfig`) exclude provisioned concurrency. SAM rejects the template otherwise.",
    bad: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 2\n"))],
    good: &[("template.yaml", sam!("      Runtime: python3.13\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): pass'\n      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 2\n"))],
};
