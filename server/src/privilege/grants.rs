//! What a function may do: the identity statements attached to its role, from everything the template or
//! serverless.yml attaches — inline statements, SAM policy templates, AWS managed policies by name or ARN,
//! roles by `!GetAtt Role.Arn`, policies that name the role, and what SAM or the Serverless Framework add
//! to the role they create. Anything the tool cannot see (a role by ARN or parameter, a customer managed
//! policy, a variable in place of statements) makes the whole answer unknown: no finding is better than a
//! wrong one.

use super::managed;
use super::sdk::sdk;
use crate::function::model::{FunctionConfig, Source};
use crate::iam::eval::{self, Decision, Statement};
use crate::iam::locate::{self, Located, PolicyDoc, PolicyKind};
use crate::iam::resolve::{self, Dialect};
use crate::syntax::{Value, ValueKind};
use crate::text::Span;
use crate::workspace::{FileKind, Parsed};

/// One statement that applies to the function, and where it comes from.
#[derive(Clone, Debug)]
pub struct Granted {
    pub st: Statement,
    /// The statement in the config, or the entry that brings it (a managed policy name, a SAM template).
    pub span: Span,
    pub label: String,
    /// Written by the user in this config (not expanded from a SAM template, a managed policy or a default).
    pub written: bool,
    /// The written `Action` items, resolved, with their spans.
    pub action_spans: Vec<(String, Span)>,
}

#[derive(Clone, Debug)]
pub enum Grants {
    Known(Vec<Granted>),
    /// The tool cannot see every permission: why.
    Unknown(String),
}

impl Grants {
    pub fn statements(&self) -> Option<Vec<Statement>> {
        match self {
            Grants::Known(g) => Some(g.iter().map(|g| g.st.clone()).collect()),
            Grants::Unknown(_) => None,
        }
    }

    /// The decision for `action` on some resource; `None` when unknown.
    pub fn decide(&self, action: &str) -> Option<Decision> {
        let stmts = self.statements()?;
        Some(eval::decide(&stmts, action, None))
    }

    /// The Deny statement that refuses `action`, for messages.
    pub fn denied_by(&self, action: &str) -> Option<&Granted> {
        match self {
            Grants::Known(g) => g
                .iter()
                .find(|g| !g.st.allow && !g.st.conditional && g.st.applies(action, None)),
            Grants::Unknown(_) => None,
        }
    }

    /// Whether every action is allowed (`Action: "*"` on `Resource: "*"`): nothing to report then.
    pub fn star_wide(&self) -> bool {
        matches!(self.decide("*"), Some(Decision::Allowed))
    }
}

/// The effective grants of each function of a parsed config. The config's policies are located once for
/// all of them: locating walks the whole config.
pub fn of_all(config: &Parsed, functions: &[FunctionConfig]) -> Vec<Grants> {
    let located = locate::policies(config);
    functions
        .iter()
        .map(|f| with_located(config, &located, f))
        .collect()
}

fn with_located(config: &Parsed, located: &Located, f: &FunctionConfig) -> Grants {
    let Some(root) = config.root() else {
        return Grants::Unknown("the config has no content".into());
    };
    let mut b = Builder {
        config,
        root,
        located,
        out: Vec::new(),
    };
    let result = match config.kind {
        FileKind::Template => b.template(f),
        FileKind::Serverless => b.serverless(f),
        _ => Err("not a template".into()),
    };
    match result {
        Ok(()) => Grants::Known(b.out),
        Err(reason) => Grants::Unknown(reason),
    }
}

type R = Result<(), String>;

struct Builder<'a> {
    config: &'a Parsed,
    root: &'a Value,
    located: &'a Located<'a>,
    out: Vec<Granted>,
}

/// A statement in evaluation form, keeping its node's span.
fn evaluation_form(doc: &PolicyDoc, node: &Value) -> Result<Option<Statement>, String> {
    let Some(s) = crate::iam::model::statements(&[node]).into_iter().next() else {
        return Ok(None);
    };
    if !s.allow() && !s.deny() {
        return match s.effect {
            // A variable or intrinsic in place of `Allow`/`Deny`: it could be either.
            Some((_, v)) if v.as_str().is_none_or(|t| t.contains("${")) => {
                Err("a statement's `Effect` is computed at deploy time".into())
            }
            _ => Ok(None),
        };
    }
    let strings = |e: Option<crate::iam::model::Elem>| -> (Vec<String>, bool, bool) {
        match e {
            Some(e) => (
                e.strings(doc.dialect)
                    .into_iter()
                    .map(|(_, r)| r.text)
                    .collect(),
                e.not,
                true,
            ),
            None => (Vec::new(), false, false),
        }
    };
    let (actions, not_action, _) = strings(s.action);
    let (mut resources, not_resource, has_resource) = strings(s.resource);
    if !has_resource {
        resources = vec!["*".into()];
    }
    Ok(Some(Statement {
        allow: s.allow(),
        actions,
        not_action,
        resources,
        not_resource,
        conditional: s.conditional(),
    }))
}

fn contains(outer: &Span, inner: &Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn intrinsic_target(v: &Value) -> Option<&str> {
    locate::ref_target(v).or_else(|| {
        // `!Sub "${Role.Arn}"`.
        let (name, arg) = v.as_intrinsic()?;
        if name != "Fn::Sub" {
            return None;
        }
        let s = arg.as_str()?.trim();
        let inner = s.strip_prefix("${")?.strip_suffix('}')?;
        (!inner.contains("${")).then(|| inner.split('.').next())?
    })
}

impl<'a> Builder<'a> {
    fn resources(&self) -> Option<&'a Value> {
        match self.config.kind {
            FileKind::Serverless => self.root.get_path(&["resources", "Resources"]),
            _ => self.root.get("Resources"),
        }
    }

    fn resource(&self, id: &str) -> Option<&'a Value> {
        self.resources()?.get(id)
    }

    fn resource_type(&self, id: &str) -> Option<&'a str> {
        self.resource(id)?.get("Type")?.as_str()
    }

    /// Statements of every located identity document whose anchor lies in `span`.
    fn docs_within(&mut self, span: &Span, label: &str, written: bool) -> R {
        let docs: Vec<&PolicyDoc> = self
            .located
            .docs
            .iter()
            .filter(|d| d.kind == PolicyKind::Identity && contains(span, &d.anchor))
            .collect();
        for d in docs {
            self.doc(d, label, written && d.origin == locate::Origin::Written)?;
        }
        Ok(())
    }

    fn doc(&mut self, d: &PolicyDoc, label: &str, written: bool) -> R {
        if d.bare && d.value.as_seq().is_none() {
            return Err("the role statements are computed at deploy time".into());
        }
        for node in d.statements() {
            if node.as_map().is_none() {
                // `- ${file(./statements.yml)}` or an intrinsic in place of a statement.
                return Err("a statement is computed at deploy time".into());
            }
            if let Some(st) = evaluation_form(d, node)? {
                let action_spans = crate::iam::model::Stmt::new(0, node)
                    .actions(d.dialect)
                    .into_iter()
                    .map(|(v, r)| (r.text, v.span.clone()))
                    .collect();
                self.out.push(Granted {
                    st,
                    span: node.span.clone(),
                    label: label.to_string(),
                    written,
                    action_spans,
                });
            }
        }
        Ok(())
    }

    fn managed(&mut self, name: &str, span: Span) -> R {
        match managed::lookup(name) {
            Some(m) => {
                for st in &m.statements {
                    self.out.push(Granted {
                        st: st.clone(),
                        span: span.clone(),
                        label: format!("managed policy `{}`", m.name),
                        written: false,
                        action_spans: Vec::new(),
                    });
                }
                Ok(())
            }
            None => Err(format!(
                "the managed policy `{name}` is not one of the AWS managed policies lambda-ls knows"
            )),
        }
    }

    /// Actions the platform needs, granted by what SAM or the Serverless Framework adds to the role.
    fn platform(&mut self, actions: &[String], span: Span, label: &str) {
        if actions.is_empty() {
            return;
        }
        self.out.push(Granted {
            st: Statement {
                allow: true,
                actions: actions.to_vec(),
                not_action: false,
                resources: vec!["*".into()],
                not_resource: false,
                conditional: false,
            },
            span,
            label: label.to_string(),
            written: false,
            action_spans: Vec::new(),
        });
    }

    /// A managed policy given as a value: a name, an ARN (plain or `!Sub`), or `!Ref` to a managed policy
    /// in the template.
    fn managed_value(&mut self, v: &Value) -> R {
        match &v.kind {
            ValueKind::Str(s) if !s.contains("${") => self.managed(s, v.span.clone()),
            ValueKind::Intrinsic { name, arg, .. } => {
                if name == "Ref" {
                    let id = arg.as_str().unwrap_or("");
                    if self.resource_type(id) == Some("AWS::IAM::ManagedPolicy") {
                        let span = self
                            .resource(id)
                            .map(|r| r.span.clone())
                            .unwrap_or_default();
                        return self.docs_within(&span, &format!("managed policy `{id}`"), true);
                    }
                    return Err(format!(
                        "the managed policy `!Ref {id}` is not in this template"
                    ));
                }
                if name == "Fn::Sub" {
                    if let Some(s) = arg.as_str().or_else(|| arg.as_seq()?.first()?.as_str()) {
                        let s = s.replace("${AWS::Partition}", "aws");
                        if !s.contains("${") {
                            return self.managed(&s, v.span.clone());
                        }
                    }
                }
                Err("a managed policy ARN is computed at deploy time".into())
            }
            _ => Err("a managed policy is computed at deploy time".into()),
        }
    }

    // ---- templates ----

    fn template(&mut self, f: &FunctionConfig) -> R {
        if self.connected(f) {
            return Err("SAM connectors grant permissions lambda-ls does not model".into());
        }
        match &f.role {
            Some(role) => self.role_value(role.node),
            None if f.source == Source::Sam => self.sam_role(f),
            None => Err("the function has no `Role`".into()),
        }
    }

    /// Whether a SAM connector names the function as its source.
    fn connected(&self, f: &FunctionConfig) -> bool {
        if f.node.get("Connectors").is_some() {
            return true;
        }
        self.resources()
            .and_then(|r| r.as_map())
            .unwrap_or_default()
            .iter()
            .any(|(_, r)| {
                r.get("Type").and_then(|t| t.as_str()) == Some("AWS::Serverless::Connector")
                    && r.get_path(&["Properties", "Source", "Id"])
                        .and_then(|i| i.as_str())
                        .is_none_or(|i| i == f.name)
            })
    }

    fn role_value(&mut self, v: &Value) -> R {
        if let Some(id) = intrinsic_target(v) {
            return match self.resource_type(id) {
                Some("AWS::IAM::Role") => self.role(id),
                Some(_) => Err(format!("the role `{id}` is not an `AWS::IAM::Role`")),
                None => Err(format!("the role `{id}` is not in this template")),
            };
        }
        if let ValueKind::Str(s) = &v.kind {
            // serverless.yml names a role of `resources.Resources` by its logical id.
            if self.config.kind == FileKind::Serverless
                && !s.starts_with("arn:")
                && self.resource_type(s) == Some("AWS::IAM::Role")
            {
                return self.role(s);
            }
        }
        Err("the function's role is defined outside this file".into())
    }

    /// An `AWS::IAM::Role` of the template: its inline policies, its managed policies, and the policies
    /// that name it.
    fn role(&mut self, id: &str) -> R {
        let Some(res) = self.resource(id) else {
            return Err(format!("the role `{id}` is not in this template"));
        };
        let props = res.get("Properties");
        if let Some(policies) = props.and_then(|p| p.get("Policies")) {
            let Some(items) = policies.as_seq() else {
                return Err(format!(
                    "the policies of role `{id}` are computed at deploy time"
                ));
            };
            for item in items {
                match item.get("PolicyDocument") {
                    Some(d) if matches!(d.kind, ValueKind::Map(_)) => {}
                    Some(d)
                        if d.as_str().is_some()
                            || d.as_intrinsic().is_some_and(|(n, _)| n == "Fn::Sub") => {}
                    _ => {
                        return Err(format!(
                            "a policy of role `{id}` is computed at deploy time"
                        ))
                    }
                }
            }
            let span = policies.span.clone();
            let docs: Vec<&PolicyDoc> = self
                .located
                .docs
                .iter()
                .filter(|d| d.kind == PolicyKind::Identity && contains(&span, &d.anchor))
                .collect();
            if docs.len() < items.len() {
                return Err(format!("a policy of role `{id}` could not be read"));
            }
            for d in docs {
                self.doc(d, &format!("role `{id}`"), true)?;
            }
        }
        if let Some(arns) = props.and_then(|p| p.get("ManagedPolicyArns")) {
            let Some(items) = arns.as_seq() else {
                return Err(format!(
                    "the managed policies of role `{id}` are computed at deploy time"
                ));
            };
            for item in items {
                self.managed_value(item)?;
            }
        }
        // Policies elsewhere in the template that attach to this role.
        let attached: Vec<(&str, &Value)> = self
            .resources()
            .and_then(|r| r.as_map())
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, r)| {
                let ty = r.get("Type")?.as_str()?;
                if !matches!(
                    ty,
                    "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy"
                ) {
                    return None;
                }
                let p = r.get("Properties")?;
                let names = p
                    .get("Roles")
                    .map(|r| r.one_or_many())
                    .unwrap_or_default()
                    .into_iter()
                    .chain(p.get("RoleName"));
                let hit = names
                    .into_iter()
                    .any(|n| locate::ref_target(n) == Some(id) || n.as_str() == Some(id));
                hit.then_some((k.text.as_str(), r))
            })
            .collect();
        for (pid, r) in attached {
            let span = r.span.clone();
            self.docs_within(&span, &format!("policy `{pid}`"), true)?;
        }
        Ok(())
    }

    /// The role SAM creates: `Policies`, plus the managed policies SAM adds for what the function declares.
    fn sam_role(&mut self, f: &FunctionConfig) -> R {
        if let Some(p) = &f.policies {
            for item in p.node.one_or_many() {
                match &item.kind {
                    ValueKind::Map(entries) => {
                        if item.get("Statement").is_some() {
                            let span = item.span.clone();
                            self.docs_within(&span, &format!("`Policies` of `{}`", f.name), true)?;
                            continue;
                        }
                        for (k, _) in entries {
                            if crate::iam::sam::template(&k.text).is_none() {
                                return Err(format!(
                                    "`{}` is not a SAM policy template lambda-ls knows",
                                    k.text
                                ));
                            }
                        }
                        let span = item.span.clone();
                        self.docs_within(&span, "SAM policy template", false)?;
                    }
                    ValueKind::Null => {}
                    _ => self.managed_value(item)?,
                }
            }
        }
        let anchor = f.name_span.clone();
        let managed = &sdk().sam_managed;
        let names = |v: Option<&serde_json::Value>| -> Vec<String> {
            v.and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut add = names(managed.get("always"));
        let props = f.properties;
        let globals = self.root.get_path(&["Globals", "Function"]);
        let prop = |k: &str| {
            props
                .and_then(|p| p.get(k))
                .or_else(|| globals.and_then(|g| g.get(k)))
        };
        if prop("Tracing").and_then(|t| t.as_str()) == Some("Active") {
            add.extend(names(managed.get("tracing")));
        }
        if prop("VpcConfig").is_some() {
            add.extend(names(managed.get("vpc")));
        }
        for ev in &f.events {
            add.extend(names(managed.get("events").and_then(|e| e.get(&ev.kind))));
        }
        for name in add {
            self.managed(&name, anchor.clone())?;
        }
        if let Some(dlq) = prop("DeadLetterQueue") {
            let kind = dlq.get("Type").and_then(|t| t.as_str()).unwrap_or("");
            let actions = names(sdk().platform.get("dead_letter").and_then(|d| d.get(kind)));
            self.platform(
                &actions,
                dlq.span.clone(),
                "the dead-letter queue SAM grants",
            );
        }
        Ok(())
    }

    // ---- serverless.yml ----

    fn serverless(&mut self, f: &FunctionConfig) -> R {
        // Lift's constructs grant their functions access to what they create (queues, buckets, …).
        let lift = self
            .root
            .get("plugins")
            .map(|p| p.one_or_many())
            .unwrap_or_default()
            .iter()
            .any(|p| p.as_str().is_some_and(|s| s.contains("lift")));
        if self.root.get("constructs").is_some() || lift {
            return Err(
                "Serverless Lift constructs add permissions lambda-ls does not model".into(),
            );
        }
        let provider = self.root.get("provider");
        let custom = f
            .node
            .get("role")
            .or_else(|| provider.and_then(|p| p.get("role")))
            .or_else(|| {
                provider
                    .and_then(|p| p.get_path(&["iam", "role"]))
                    .filter(|r| r.as_map().is_none())
            });
        if let Some(role) = custom {
            return self.role_value(role);
        }
        for path in [
            &["iam", "role", "statements"][..],
            &["iamRoleStatements"][..],
        ] {
            if let Some(v) = provider.and_then(|p| p.get_path(path)) {
                if v.as_seq().is_none() {
                    return Err("the role statements are computed at deploy time".into());
                }
            }
        }
        let docs: Vec<&PolicyDoc> = self
            .located
            .docs
            .iter()
            .filter(|d| {
                d.kind == PolicyKind::Identity
                    && d.bare
                    && (d.owner.is_none() || d.owner == Some(f.name.as_str()))
            })
            .collect();
        for d in docs {
            self.doc(d, "the service role", true)?;
        }
        for path in [
            &["iam", "role", "managedPolicies"][..],
            &["iamManagedPolicies"][..],
        ] {
            if let Some(v) = provider.and_then(|p| p.get_path(path)) {
                let Some(items) = v.as_seq() else {
                    return Err("the managed policies are computed at deploy time".into());
                };
                for item in items {
                    self.managed_value(item)?;
                }
            }
        }
        // What the framework's role always has, and what each event source needs.
        let platform = &sdk().platform;
        let list = |v: Option<&serde_json::Value>| -> Vec<String> {
            v.and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut actions = list(platform.get("always"));
        for ev in &f.events {
            actions.extend(list(platform.get("events").and_then(|e| e.get(&ev.kind))));
        }
        if f.node.get("vpc").is_some() || provider.and_then(|p| p.get("vpc")).is_some() {
            actions.extend(list(platform.get("vpc")));
        }
        self.platform(
            &actions,
            f.name_span.clone(),
            "the role the Serverless Framework creates",
        );
        Ok(())
    }
}

/// The value a string resolves to in this config, for labels.
pub fn shown(v: &Value, dialect: Dialect) -> Option<String> {
    resolve::string(v, dialect).map(|r| r.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::model;
    use std::path::Path;
    use std::sync::Arc;

    fn grants(name: &str, text: &str, function: &str) -> Grants {
        let p = crate::workspace::parse(Path::new(name), Arc::from(text), None);
        let functions = model::functions(&p);
        let i = functions
            .iter()
            .position(|f| f.name == function)
            .expect("function");
        of_all(&p, &functions).swap_remove(i)
    }

    fn decide(g: &Grants, action: &str) -> Option<Decision> {
        g.decide(action)
    }

    const SAM: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Table:\n    Type: AWS::DynamoDB::Table\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.13\n      Policies:\n        - DynamoDBReadPolicy:\n            TableName: !Ref Table\n        - Statement:\n            - Effect: Allow\n              Action: sqs:SendMessage\n              Resource: '*'\n            - Effect: Deny\n              Action: dynamodb:Scan\n              Resource: '*'\n        - AmazonS3ReadOnlyAccess\n";

    #[test]
    fn sam_policies_templates_managed_and_deny() {
        let g = grants("template.yaml", SAM, "Fn");
        assert_eq!(decide(&g, "dynamodb:GetItem"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "dynamodb:Scan"), Some(Decision::Denied));
        assert_eq!(decide(&g, "dynamodb:PutItem"), Some(Decision::NotAllowed));
        assert_eq!(decide(&g, "sqs:SendMessage"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "s3:GetObject"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "s3:PutObject"), Some(Decision::NotAllowed));
        // SAM's role always has the basic execution policy.
        assert_eq!(decide(&g, "logs:PutLogEvents"), Some(Decision::Allowed));
        assert!(g.denied_by("dynamodb:Scan").is_some());
    }

    #[test]
    fn roles_by_getatt_and_attached_policies() {
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      ManagedPolicyArns:\n        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: s3:GetObject\n                Resource: '*'\n  Extra:\n    Type: AWS::IAM::Policy\n    Properties:\n      Roles: [!Ref Role]\n      PolicyDocument:\n        Statement: [{Effect: Allow, Action: 'sns:Publish', Resource: '*'}]\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Role.Arn\n      Handler: app.handler\n      Runtime: python3.13\n";
        let g = grants("template.yaml", text, "Fn");
        assert_eq!(decide(&g, "s3:GetObject"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "sns:Publish"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "logs:CreateLogStream"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "s3:PutObject"), Some(Decision::NotAllowed));
    }

    #[test]
    fn unknown_roles_and_policies() {
        let by_arn = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: arn:aws:iam::123456789012:role/r\n";
        assert!(matches!(
            grants("template.yaml", by_arn, "Fn"),
            Grants::Unknown(_)
        ));
        let customer = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - arn:aws:iam::123456789012:policy/mine\n";
        assert!(matches!(
            grants("template.yaml", customer, "Fn"),
            Grants::Unknown(_)
        ));
        let param = "Parameters:\n  R: {Type: String}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: !Ref R\n";
        assert!(matches!(
            grants("template.yaml", param, "Fn"),
            Grants::Unknown(_)
        ));
        let file = "service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements: ${file(./iam.yml)}\nfunctions:\n  f:\n    handler: h.h\n";
        assert!(matches!(
            grants("serverless.yml", file, "f"),
            Grants::Unknown(_)
        ));
        let lift = "service: s\nprovider:\n  name: aws\nconstructs:\n  jobs:\n    type: queue\nfunctions:\n  f:\n    handler: h.h\nplugins:\n  - serverless-lift\n";
        assert!(matches!(
            grants("serverless.yml", lift, "f"),
            Grants::Unknown(_)
        ));
    }

    #[test]
    fn serverless_statements_and_defaults() {
        let text = "service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: ['dynamodb:GetItem', 'dynamodb:Query']\n          Resource: arn:aws:dynamodb:${aws:region}:*:table/${self:custom.table}\nfunctions:\n  f:\n    handler: h.h\n    events:\n      - sqs: arn:aws:sqs:us-east-1:1:q\n";
        let g = grants("serverless.yml", text, "f");
        assert_eq!(decide(&g, "dynamodb:Query"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "dynamodb:PutItem"), Some(Decision::NotAllowed));
        assert_eq!(decide(&g, "sqs:ReceiveMessage"), Some(Decision::Allowed));
        assert_eq!(decide(&g, "logs:PutLogEvents"), Some(Decision::Allowed));
    }
}
