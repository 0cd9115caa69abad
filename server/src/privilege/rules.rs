//! The least-privilege rules.

use crate::rules::{Rule, Severity};

pub static NOT_ALLOWED: Rule = Rule {
    id: "privilege/not-allowed",
    severity: Severity::Warning,
    summary: "the function's role does not allow an AWS call its code makes",
    docs: "An AWS SDK call in a function's code (boto3, the AWS SDK for JavaScript v2 or v3, the AWS SDK for \
           Go v2) needs IAM actions — `s3.put_object` needs `s3:PutObject` — and the role of the function \
           does not allow them, or a `Deny` refuses them: the call fails with AccessDenied at run time. \
           Permissions come from everything the template or serverless.yml attaches to the role (inline \
           statements, SAM policy templates, AWS managed policies, roles by `!GetAtt Role.Arn`, policies \
           that name the role, what SAM and the Serverless Framework add). When something attached cannot \
           be seen (a role by ARN, a customer managed policy, a variable), nothing is reported. The quick \
           fix grants the action, on the resource the code names when it is a literal or an environment \
           variable bound to a resource of the template.",
    bad: &[
        ("app.py", "import os\nimport boto3\n\ns3 = boto3.client(\"s3\")\n\ndef handler(event, context):\n    s3.put_object(Bucket=os.environ[\"BUCKET\"], Key=\"k\", Body=b\"\")\n"),
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Uploads:\n    Type: AWS::S3::Bucket\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Environment:\n        Variables:\n          BUCKET: !Ref Uploads\n      Policies:\n        - S3ReadPolicy:\n            BucketName: !Ref Uploads\n"),
    ],
    good: &[
        ("app.py", "import os\nimport boto3\n\ns3 = boto3.client(\"s3\")\n\ndef handler(event, context):\n    s3.put_object(Bucket=os.environ[\"BUCKET\"], Key=\"k\", Body=b\"\")\n"),
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Uploads:\n    Type: AWS::S3::Bucket\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Environment:\n        Variables:\n          BUCKET: !Ref Uploads\n      Policies:\n        - S3CrudPolicy:\n            BucketName: !Ref Uploads\n"),
    ],
};

pub static BROADER_THAN_USED: Rule = Rule {
    id: "privilege/broader-than-used",
    severity: Severity::Hint,
    summary: "a wildcard grant is wider than what the function's code uses",
    docs: "A statement written for a function grants a wildcard such as `dynamodb:*`, while the code of \
           every function using the statement calls only a few actions of that service (plus what Lambda \
           itself needs for the function's event sources, logs and network). Least privilege limits what a \
           bug or a stolen credential can do; the quick fix lists the actions used instead. Nothing is said \
           when some code cannot be read or picks a client or method at run time.",
    bad: &[
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: dynamodb:*\n              Resource: '*'\n"),
        ("app.py", "import boto3\n\ntable = boto3.resource(\"dynamodb\").Table(\"orders\")\n\ndef handler(event, context):\n    return table.get_item(Key={\"id\": event[\"id\"]})\n"),
    ],
    good: &[
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: dynamodb:GetItem\n              Resource: '*'\n"),
        ("app.py", "import boto3\n\ntable = boto3.resource(\"dynamodb\").Table(\"orders\")\n\ndef handler(event, context):\n    return table.get_item(Key={\"id\": event[\"id\"]})\n"),
    ],
};

pub static RULES: &[&Rule] = &[&NOT_ALLOWED, &BROADER_THAN_USED];
