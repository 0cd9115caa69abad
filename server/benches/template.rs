//! The synthetic template the analysis benchmark and the profiling example share.

/// A SAM template of about `lines` lines: functions with environment, events and inline policies.
pub fn template(lines: usize) -> String {
    let mut s = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.13\n    Timeout: 10\nResources:\n",
    );
    let mut i = 0;
    while s.lines().count() < lines {
        s.push_str(&format!(
            "  Function{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/f{i}/\n      Handler: app.handler\n      MemorySize: 256\n      Environment:\n        Variables:\n          TABLE: !Ref Table{i}\n          STAGE: prod\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action:\n                - dynamodb:GetItem\n                - dynamodb:PutItem\n              Resource: !GetAtt Table{i}.Arn\n      Events:\n        Api:\n          Type: Api\n          Properties:\n            Path: /f{i}\n            Method: get\n  Table{i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
        ));
        i += 1;
    }
    s
}
