//! Policy evaluation for one identity: does a set of statements (Allow and Deny, wildcards, `NotAction`,
//! `NotResource`) allow an action, on a resource? Least-privilege analysis asks this of a function's role.
//!
//! Conditions are not evaluated: a statement with a `Condition` can only make a result conditional. Unknown
//! parts of values (intrinsics, variables) match anything, so "allowed" may be optimistic where the tool
//! cannot know, and "denied" is only said when certain.

use super::glob;
use super::locate::PolicyDoc;
use super::model;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub allow: bool,
    /// Action patterns; with `not_action` the statement applies to every action *not* matched.
    pub actions: Vec<String>,
    pub not_action: bool,
    /// Resource patterns; empty with `not_resource == false` means the statement names none.
    pub resources: Vec<String>,
    pub not_resource: bool,
    pub conditional: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// An Allow without conditions applies and no Deny can apply.
    Allowed,
    /// An Allow applies only under conditions, or a conditional Deny may apply.
    Conditional,
    /// An unconditional Deny applies.
    Denied,
    /// No statement allows it.
    NotAllowed,
}

impl Decision {
    pub fn may_allow(self) -> bool {
        matches!(self, Decision::Allowed | Decision::Conditional)
    }
}

/// The statements of a document in evaluation form. Statements with an unusable `Effect` are left out.
pub fn statements(doc: &PolicyDoc) -> Vec<Statement> {
    let nodes = doc.statements();
    model::statements(&nodes)
        .iter()
        .filter(|s| s.allow() || s.deny())
        .map(|s| {
            let (actions, not_action) = match s.action {
                Some(e) => (
                    e.strings(doc.dialect)
                        .into_iter()
                        .map(|(_, r)| r.text)
                        .collect(),
                    e.not,
                ),
                None => (Vec::new(), false),
            };
            let (resources, not_resource) = match s.resource {
                Some(e) => (
                    e.strings(doc.dialect)
                        .into_iter()
                        .map(|(_, r)| r.text)
                        .collect(),
                    e.not,
                ),
                // Trust policies have no Resource: they are about the role itself.
                None => (vec!["*".to_string()], false),
            };
            Statement {
                allow: s.allow(),
                actions,
                not_action,
                resources,
                not_resource,
                conditional: s.conditional(),
            }
        })
        .collect()
}

/// The identity statements that apply to one owner (a SAM function's `Policies`, SAM policy templates
/// expanded, a role's inline policies, serverless statements of a function), for least-privilege analysis.
/// `owner` is the logical id or serverless function key; serverless provider-wide statements have none.
pub fn for_owner(located: &super::locate::Located, owner: Option<&str>) -> Vec<Statement> {
    located
        .docs
        .iter()
        .filter(|d| d.kind == super::locate::PolicyKind::Identity && d.owner == owner)
        .flat_map(statements)
        .collect()
}

impl Statement {
    /// Whether this statement covers `action` (a name such as `s3:GetObject`, or a pattern: then every
    /// action it matches must be covered for an Allow, and any for a Deny).
    fn applies_to_action(&self, action: &str) -> bool {
        // A name, not a pattern: plain matching answers both questions.
        if !glob::has_wildcard(action) {
            let hit = self.actions.iter().any(|p| glob::matches(p, action, true));
            return hit != self.not_action;
        }
        let hit = if self.allow {
            self.actions.iter().any(|p| glob::covers(p, action, true))
        } else {
            self.actions
                .iter()
                .any(|p| glob::intersects(&glob::pattern(p), &glob::pattern(action), true))
        };
        // NotAction applies to what it does not name; a pattern query is only sure to be outside when
        // no excluded pattern overlaps it.
        if self.not_action {
            !self
                .actions
                .iter()
                .any(|p| glob::intersects(&glob::pattern(p), &glob::pattern(action), true))
        } else {
            hit
        }
    }

    fn applies_to_resource(&self, resource: Option<&str>) -> bool {
        let Some(r) = resource else {
            return !self.resources.is_empty() || self.not_resource;
        };
        if self.not_resource {
            return !self
                .resources
                .iter()
                .any(|p| glob::intersects(&glob::pattern(p), &glob::pattern(r), false));
        }
        if self.allow {
            self.resources.iter().any(|p| glob::covers(p, r, false))
        } else {
            self.resources
                .iter()
                .any(|p| glob::intersects(&glob::pattern(p), &glob::pattern(r), false))
        }
    }

    pub fn applies(&self, action: &str, resource: Option<&str>) -> bool {
        self.applies_to_action(action) && self.applies_to_resource(resource)
    }
}

/// The decision of a set of statements for `action` on `resource` (`None`: on some resource).
pub fn decide(stmts: &[Statement], action: &str, resource: Option<&str>) -> Decision {
    let mut deny_maybe = false;
    for s in stmts.iter().filter(|s| !s.allow) {
        if s.applies(action, resource) {
            if !s.conditional {
                return Decision::Denied;
            }
            deny_maybe = true;
        }
    }
    let mut allow_maybe = false;
    for s in stmts.iter().filter(|s| s.allow) {
        if s.applies(action, resource) {
            if !s.conditional && !deny_maybe {
                return Decision::Allowed;
            }
            allow_maybe = true;
        }
    }
    if allow_maybe {
        Decision::Conditional
    } else {
        Decision::NotAllowed
    }
}

/// Every catalog action (as `prefix:Name`) that the statements may allow on some resource.
pub fn allowed_actions(stmts: &[Statement]) -> Vec<String> {
    let cat = super::catalog::catalog();
    let mut out = Vec::new();
    for s in stmts.iter().filter(|s| s.allow) {
        let candidates: Vec<String> = if s.not_action {
            cat.expand("*")
                .into_iter()
                .map(|(svc, a)| format!("{}:{}", svc.prefix, a.name))
                .collect()
        } else {
            s.actions
                .iter()
                .flat_map(|p| cat.expand(p))
                .map(|(svc, a)| format!("{}:{}", svc.prefix, a.name))
                .collect()
        };
        for a in candidates {
            if decide(stmts, &a, None).may_allow() && !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(allow: bool, actions: &[&str], resources: &[&str]) -> Statement {
        Statement {
            allow,
            actions: actions.iter().map(|s| s.to_string()).collect(),
            not_action: false,
            resources: resources.iter().map(|s| s.to_string()).collect(),
            not_resource: false,
            conditional: false,
        }
    }

    #[test]
    fn allow_deny_and_wildcards() {
        let stmts = vec![
            st(true, &["s3:Get*"], &["arn:aws:s3:::b/*"]),
            st(false, &["s3:GetObjectAcl"], &["*"]),
        ];
        assert_eq!(
            decide(&stmts, "s3:GetObject", Some("arn:aws:s3:::b/k")),
            Decision::Allowed
        );
        assert_eq!(
            decide(&stmts, "s3:getobject", Some("arn:aws:s3:::other/k")),
            Decision::NotAllowed
        );
        assert_eq!(
            decide(&stmts, "s3:GetObjectAcl", Some("arn:aws:s3:::b/k")),
            Decision::Denied
        );
        assert_eq!(decide(&stmts, "s3:PutObject", None), Decision::NotAllowed);
        assert_eq!(decide(&stmts, "s3:Get*", None), Decision::Denied);
    }

    #[test]
    fn not_action_and_conditions() {
        let mut s = st(true, &["iam:*"], &["*"]);
        s.not_action = true;
        let stmts = vec![s];
        assert_eq!(decide(&stmts, "s3:GetObject", None), Decision::Allowed);
        assert_eq!(decide(&stmts, "iam:PassRole", None), Decision::NotAllowed);
        let mut c = st(true, &["sqs:SendMessage"], &["*"]);
        c.conditional = true;
        assert_eq!(decide(&[c], "sqs:SendMessage", None), Decision::Conditional);
    }

    #[test]
    fn statements_of_a_function_include_sam_templates() {
        let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - DynamoDBReadPolicy: {TableName: orders}\n        - Statement: [{Effect: Allow, Action: 'sqs:SendMessage', Resource: '*'}]\n";
        let p = crate::workspace::parse(
            std::path::Path::new("template.yaml"),
            std::sync::Arc::from(text),
            None,
        );
        let located = super::super::locate::policies(&p);
        let stmts = for_owner(&located, Some("Fn"));
        assert_eq!(decide(&stmts, "dynamodb:GetItem", None), Decision::Allowed);
        assert_eq!(
            decide(
                &stmts,
                "sqs:SendMessage",
                Some("arn:aws:sqs:us-east-1:123456789012:q")
            ),
            Decision::Allowed
        );
        assert_eq!(
            decide(&stmts, "dynamodb:PutItem", None),
            Decision::NotAllowed
        );
    }

    #[test]
    fn expands_to_catalog_actions() {
        let stmts = vec![
            st(true, &["lambda:Get*"], &["*"]),
            st(false, &["lambda:GetPolicy"], &["*"]),
        ];
        let acts = allowed_actions(&stmts);
        assert!(acts.contains(&"lambda:GetFunction".to_string()));
        assert!(!acts.contains(&"lambda:GetPolicy".to_string()));
    }
}
