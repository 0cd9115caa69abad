//! IAM benchmarks: loading the embedded catalog, and completion on the full catalog as the server runs it
//! (from the parsed document to the list of items). Also prints completion latency percentiles, since the
//! goal is stated as a p99.

use criterion::{criterion_group, criterion_main, Criterion};
use lambda_ls::iam::{catalog, complete};
use lambda_ls::workspace::{self, Parsed};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// CPU time of this thread: unlike wall time, not inflated when other processes take the cores.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn parsed(name: &str, text: &str) -> Parsed {
    workspace::parse(Path::new(name), Arc::from(text), None)
}

/// Completion requests at the end of half-typed policies: JSON and YAML, small and large services.
fn cases() -> Vec<(&'static str, Parsed, usize)> {
    let json = |action: &str| {
        format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"{action}")
    };
    let yaml = |action: &str| {
        format!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: {action}")
    };
    let mut out = Vec::new();
    for (label, file, text) in [
        ("json s3:Get", "policy.json", json("s3:Get")),
        ("json ec2: (all ec2 actions)", "policy.json", json("ec2:")),
        ("json service prefixes", "policy.json", json("")),
        ("yaml dynamodb:", "template.yaml", yaml("dynamodb:")),
    ] {
        let len = text.len();
        out.push((label, parsed(file, &text), len));
    }
    out
}

fn bench(c: &mut Criterion) {
    // First use of the catalog in a process: inflate and index (each run leaks one decoded copy, by design
    // of the loader, so few samples are taken).
    let mut g = c.benchmark_group("catalog");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(200));
    g.measurement_time(Duration::from_secs(2));
    g.bench_function("decode embedded catalog", |b| {
        b.iter(|| black_box(catalog::load_embedded().map(|c| c.action_count())))
    });
    g.finish();

    let mut cpu: Vec<Duration> = (0..7)
        .map(|_| {
            let t = thread_cpu();
            black_box(catalog::load_embedded().map(|c| c.action_count()).ok());
            thread_cpu() - t
        })
        .collect();
    cpu.sort();
    eprintln!(
        "catalog decode: CPU min {:?}, median {:?}",
        cpu[0],
        cpu[cpu.len() / 2]
    );

    let _ = catalog::catalog();
    let cases = cases();
    for (label, file, offset) in &cases {
        // Percentiles over many runs, as an editor would see them.
        let mut times: Vec<Duration> = (0..3000)
            .map(|_| {
                let t = Instant::now();
                black_box(complete::completion(file, *offset));
                t.elapsed()
            })
            .collect();
        times.sort();
        let mut cpu: Vec<Duration> = (0..3000)
            .map(|_| {
                let t = thread_cpu();
                black_box(complete::completion(file, *offset));
                thread_cpu() - t
            })
            .collect();
        cpu.sort();
        let n = complete::completion(file, *offset).len();
        eprintln!(
            "completion {label}: {n} items; wall p50 {:?}, p99 {:?}; CPU p50 {:?}, p99 {:?}",
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            cpu[cpu.len() / 2],
            cpu[cpu.len() * 99 / 100],
        );
    }
    let mut g = c.benchmark_group("completion");
    for (label, file, offset) in &cases {
        g.bench_function(*label, |b| {
            b.iter(|| black_box(complete::completion(file, *offset)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
