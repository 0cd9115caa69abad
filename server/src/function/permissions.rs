//! What an execution role defined in the same template allows, as far as the template shows: its inline
//! policies, the policy resources attached to it, and AWS managed policies whose content the embedded data
//! knows. Anything this cannot see (a policy from a parameter, an unknown managed policy, an intrinsic
//! action) makes the answer "unknown", never "denied", so checks built on it raise no false alarms.
//!
//! Resources, conditions and `Deny` statements are not evaluated: a role that may grant an action counts
//! as granting it. This is deliberately smaller than a policy evaluator.

use super::data::{event_sources, ManagedPolicy};
use crate::syntax::{Key, Value, ValueKind};
use crate::template::refs::referenced_ids;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    Yes,
    No,
    Unknown,
}

/// A role resource and every policy the template attaches to it.
pub struct RolePolicies<'a> {
    pub id: &'a Key,
    pub role: &'a Value,
    docs: Vec<&'a Value>,
    managed: Vec<&'static ManagedPolicy>,
    /// Something attached to the role cannot be read.
    pub unknown: bool,
}

/// The `AWS::IAM::Role` resource of `resources` that a function's `Role` value names.
pub fn role_of<'a>(resources: &'a [(Key, Value)], role: &Value) -> Option<(&'a Key, &'a Value)> {
    referenced_ids(role).into_iter().find_map(|(id, _)| {
        resources.iter().find_map(|(k, v)| {
            (k.text == id && v.get("Type").and_then(|t| t.as_str()) == Some("AWS::IAM::Role"))
                .then_some((k, v))
        })
    })
}

fn refers_to(value: &Value, id: &str) -> bool {
    referenced_ids(value).iter().any(|(r, _)| r == id)
}

/// The name of an AWS managed policy from its ARN (`arn:${AWS::Partition}:iam::aws:policy/service-role/X`).
fn aws_managed_name(arn: &str) -> Option<&str> {
    let (_, rest) = arn.split_once(":iam::aws:policy/")?;
    rest.rsplit('/').next()
}

impl<'a> RolePolicies<'a> {
    pub fn gather(resources: &'a [(Key, Value)], id: &'a Key, role: &'a Value) -> RolePolicies<'a> {
        let mut out = RolePolicies {
            id,
            role,
            docs: Vec::new(),
            managed: Vec::new(),
            unknown: false,
        };
        let props = role.get("Properties");
        if props.is_some_and(|p| p.is_intrinsic()) {
            out.unknown = true;
        }
        match props.and_then(|p| p.get("Policies")) {
            Some(v) if v.is_intrinsic() => out.unknown = true,
            Some(v) => {
                for p in v.one_or_many() {
                    match p.get("PolicyDocument") {
                        Some(doc) => out.docs.push(doc),
                        None => out.unknown = true,
                    }
                }
            }
            None => {}
        }
        match props.and_then(|p| p.get("ManagedPolicyArns")) {
            Some(v) if v.is_intrinsic() => out.unknown = true,
            Some(v) => {
                for arn in v.one_or_many() {
                    out.managed_policy(resources, arn);
                }
            }
            None => {}
        }
        // Policy resources that name this role.
        for (_, res) in resources {
            let ty = res.get("Type").and_then(|t| t.as_str()).unwrap_or("");
            let p = res.get("Properties");
            let attaches = match ty {
                "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => p
                    .and_then(|p| p.get("Roles"))
                    .is_some_and(|r| r.one_or_many().iter().any(|r| refers_to(r, &id.text))),
                "AWS::IAM::RolePolicy" => p
                    .and_then(|p| p.get("RoleName"))
                    .is_some_and(|r| refers_to(r, &id.text)),
                _ => false,
            };
            if attaches {
                match p.and_then(|p| p.get("PolicyDocument")) {
                    Some(doc) => out.docs.push(doc),
                    None => out.unknown = true,
                }
            }
        }
        out
    }

    fn managed_policy(&mut self, resources: &'a [(Key, Value)], arn: &'a Value) {
        let text = match &arn.kind {
            ValueKind::Str(s) => Some(s.clone()),
            ValueKind::Intrinsic { name, arg, .. } if name == "Fn::Sub" => {
                arg.as_str().map(|s| s.replace("${AWS::Partition}", "aws"))
            }
            _ => None,
        };
        if let Some(name) = text.as_deref().and_then(aws_managed_name) {
            match event_sources().managed_policies.policies.get(name) {
                Some(p) => self.managed.push(p),
                None => self.unknown = true,
            }
            return;
        }
        // A customer managed policy defined in this template.
        let local = referenced_ids(arn).into_iter().find_map(|(rid, _)| {
            resources.iter().find_map(|(k, v)| {
                (k.text == rid
                    && v.get("Type").and_then(|t| t.as_str()) == Some("AWS::IAM::ManagedPolicy"))
                .then_some(v)
            })
        });
        match local.and_then(|v| v.get_path(&["Properties", "PolicyDocument"])) {
            // Already counted when it lists this role in `Roles`; counting it twice is harmless.
            Some(doc) => self.docs.push(doc),
            None => self.unknown = true,
        }
    }

    /// Whether the role allows `action` (`service:Action`).
    pub fn grants(&self, action: &str) -> Grant {
        let mut unknown = self.unknown;
        for m in &self.managed {
            if m.actions.iter().any(|p| action_matches(p, action))
                || (!m.not_actions.is_empty()
                    && !m.not_actions.iter().any(|p| action_matches(p, action)))
            {
                return Grant::Yes;
            }
        }
        for doc in &self.docs {
            match doc_grants(doc, action) {
                Grant::Yes => return Grant::Yes,
                Grant::Unknown => unknown = true,
                Grant::No => {}
            }
        }
        if unknown {
            Grant::Unknown
        } else {
            Grant::No
        }
    }

    /// The actions of `actions` the role certainly does not allow; `None` when that cannot be known.
    pub fn missing(&self, actions: &[String]) -> Option<Vec<String>> {
        let mut missing = Vec::new();
        for a in actions {
            match self.grants(a) {
                Grant::Yes => {}
                Grant::No => missing.push(a.clone()),
                Grant::Unknown => return None,
            }
        }
        Some(missing)
    }
}

fn doc_grants(doc: &Value, action: &str) -> Grant {
    if doc.is_intrinsic() {
        return Grant::Unknown;
    }
    let Some(statements) = doc.get("Statement") else {
        return Grant::Unknown;
    };
    if statements.is_intrinsic() {
        return Grant::Unknown;
    }
    let mut unknown = false;
    for st in statements.one_or_many() {
        if st.is_intrinsic() {
            unknown = true;
            continue;
        }
        match st.get("Effect").map(|e| (e.as_str(), e)) {
            Some((Some("Allow"), _)) => {}
            Some((Some(_), _)) => continue,
            _ => {
                unknown = true;
                continue;
            }
        }
        if let Some(actions) = st.get("Action") {
            for a in actions.one_or_many() {
                match a.as_str() {
                    Some(p) if action_matches(p, action) => return Grant::Yes,
                    Some(_) => {}
                    None => unknown = true,
                }
            }
        } else if let Some(not) = st.get("NotAction") {
            let items = not.one_or_many();
            if items.iter().any(|a| a.as_str().is_none()) {
                unknown = true;
            } else if !items
                .iter()
                .filter_map(|a| a.as_str())
                .any(|p| action_matches(p, action))
            {
                return Grant::Yes;
            }
        }
    }
    if unknown {
        Grant::Unknown
    } else {
        Grant::No
    }
}

/// IAM action matching: case-insensitive, `*` and `?` wildcards (linear-time, no backtracking blow-up).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let (p, a) = (pattern.as_bytes(), action.as_bytes());
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < a.len() {
        if i < p.len() && (p[i] == b'?' || p[i].eq_ignore_ascii_case(&a[j])) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == b'*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    while i < p.len() && p[i] == b'*' {
        i += 1;
    }
    i == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_value, Lang};

    fn roles(yaml: &str) -> Vec<(String, Grant, Grant)> {
        let doc = parse_value(Lang::Yaml, yaml);
        let root = doc.value.expect("value");
        let resources = root
            .get("Resources")
            .and_then(|r| r.as_map())
            .unwrap_or_default();
        resources
            .iter()
            .filter(|(_, v)| v.get("Type").and_then(|t| t.as_str()) == Some("AWS::IAM::Role"))
            .map(|(k, v)| {
                let p = RolePolicies::gather(resources, k, v);
                (
                    k.text.clone(),
                    p.grants("sqs:ReceiveMessage"),
                    p.grants("logs:PutLogEvents"),
                )
            })
            .collect()
    }

    #[test]
    fn what_roles_grant() {
        let got = roles(concat!(
            "Resources:\n",
            "  Inline:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: ['sqs:Receive*', 'logs:*']\n                Resource: '*'\n",
            "  Managed:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns:\n        - !Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'\n",
            "  UnknownManaged:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [arn:aws:iam::aws:policy/SomethingNew]\n",
            "  Attached:\n    Type: AWS::IAM::Role\n",
            "  Pol:\n    Type: AWS::IAM::Policy\n    Properties:\n      Roles: [!Ref Attached]\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            NotAction: iam:*\n            Resource: '*'\n",
            "  Bare:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n              - Effect: Deny\n                Action: '*'\n                Resource: '*'\n",
            "  FromParam:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: p\n          PolicyDocument: !Ref Doc\n",
        ));
        let get = |n: &str| got.iter().find(|g| g.0 == n).map(|g| (g.1, g.2));
        assert_eq!(get("Inline"), Some((Grant::Yes, Grant::Yes)));
        assert_eq!(get("Managed"), Some((Grant::No, Grant::Yes)));
        assert_eq!(
            get("UnknownManaged"),
            Some((Grant::Unknown, Grant::Unknown))
        );
        assert_eq!(get("Attached"), Some((Grant::Yes, Grant::Yes)));
        assert_eq!(get("Bare"), Some((Grant::No, Grant::No)));
        assert_eq!(get("FromParam"), Some((Grant::Unknown, Grant::Unknown)));
    }

    #[test]
    fn wildcards() {
        assert!(action_matches("sqs:*", "sqs:ReceiveMessage"));
        assert!(action_matches("SQS:receive*", "sqs:ReceiveMessage"));
        assert!(action_matches("*", "logs:PutLogEvents"));
        assert!(action_matches("logs:Put?ogEvents", "logs:PutLogEvents"));
        assert!(!action_matches("logs:Create*", "logs:PutLogEvents"));
    }
}
