//! Sample events for every event source, embedded from `server/data/events/` (see its manifest and
//! NOTICE for provenance), and the choice of a default event for a function.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/events/events.json");

#[derive(Deserialize)]
pub struct Sample {
    pub name: String,
    pub description: String,
    /// SAM event `Type`s this sample fits (`Type:Detail` for Cognito triggers and MQ brokers).
    pub sam: Vec<String>,
    /// serverless.yml event keys (`key:detail` for streams and Cognito triggers).
    pub serverless: Vec<String>,
    pub source: String,
    pub event: serde_json::Value,
}

#[derive(Deserialize)]
struct Catalog {
    events: Vec<Sample>,
}

pub fn all() -> &'static [Sample] {
    static CATALOG: OnceLock<Vec<Sample>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        serde_json::from_str::<Catalog>(DATA)
            .map(|c| c.events)
            .unwrap_or_default()
    })
}

pub fn get(name: &str) -> Option<&'static Sample> {
    all().iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The sample for an event source: SAM `Type` or serverless key, with its detail (Cognito trigger, MQ
/// broker, stream ARN or type).
pub fn for_source(kind: &str, detail: Option<&str>) -> Option<&'static Sample> {
    let detail = detail.unwrap_or("");
    let wanted = |entry: &str| -> bool {
        match entry.split_once(':') {
            None => entry == kind,
            Some((k, d)) => {
                k == kind
                    && match kind {
                        // A stream is named by ARN (`arn:aws:dynamodb:…/stream/…`) or by `type`.
                        "stream" => detail.contains(d),
                        // `PreSignUp` and the SAM `RabbitMQ` broker hint match case-insensitively.
                        _ => {
                            detail.eq_ignore_ascii_case(d)
                                || detail.to_lowercase().contains(&d.to_lowercase())
                        }
                    }
            }
        }
    };
    // A detailed entry (`MQ:RabbitMQ`) beats the plain one (`MQ`).
    let lists = |s: &Sample| {
        s.sam
            .iter()
            .chain(s.serverless.iter())
            .cloned()
            .collect::<Vec<_>>()
    };
    all()
        .iter()
        .find(|s| lists(s).iter().any(|e| e.contains(':') && wanted(e)))
        .or_else(|| {
            all()
                .iter()
                .find(|s| lists(s).iter().any(|e| !e.contains(':') && wanted(e)))
        })
}

/// JSON files under the `events/` folder next to a config (SAM's convention), sorted.
pub fn project_files(config: &Path) -> Vec<PathBuf> {
    let Some(dir) = config.parent().map(|d| d.join("events")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![(dir, 0)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() && depth < 2 {
                stack.push((p, depth + 1));
            } else if p.extension().is_some_and(|x| x == "json") && p.is_file() {
                out.push(p);
            }
        }
        if out.len() > 500 {
            break;
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_covers_every_sam_event_source() {
        assert!(all().len() >= 40, "{} samples", all().len());
        for kind in [
            "Api",
            "HttpApi",
            "S3",
            "SQS",
            "SNS",
            "DynamoDB",
            "Kinesis",
            "Schedule",
            "ScheduleV2",
            "CloudWatchEvent",
            "EventBridgeRule",
            "CloudWatchLogs",
            "IoTRule",
            "AlexaSkill",
            "MSK",
            "MQ",
            "SelfManagedKafka",
            "DocumentDB",
        ] {
            assert!(for_source(kind, None).is_some(), "no sample for SAM {kind}");
        }
        for name in ["alb", "function-url", "apigateway-websocket"] {
            assert!(get(name).is_some(), "{name}");
        }
        let mut names: Vec<&str> = all().iter().map(|s| s.name.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all().len(), "names are unique");
    }

    #[test]
    fn details_pick_the_right_sample() {
        let pick = |k: &str, d: Option<&str>| for_source(k, d).map(|s| s.name.as_str());
        assert_eq!(
            pick("Cognito", Some("PreSignUp")),
            Some("cognito-pre-signup")
        );
        assert_eq!(
            pick("cognitoUserPool", Some("CustomMessage")),
            Some("cognito-custom-message")
        );
        assert_eq!(
            pick("MQ", Some("arn:aws:mq:us-east-1:1:broker:RabbitMQ-b")),
            Some("mq-rabbitmq")
        );
        assert_eq!(pick("MQ", None), Some("mq-activemq"));
        assert_eq!(
            pick(
                "stream",
                Some("arn:aws:dynamodb:us-east-1:1:table/T/stream/x")
            ),
            Some("dynamodb-stream")
        );
        assert_eq!(
            pick("stream", Some("arn:aws:kinesis:us-east-1:1:stream/s")),
            Some("kinesis")
        );
        assert_eq!(pick("http", None), Some("apigateway-rest"));
        assert_eq!(pick("Nope", None), None);
    }
}
