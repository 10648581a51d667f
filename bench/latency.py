"""Render → delivered latency on the local stack: N renders of social-card to one S3 storage.

Run: .venv/bin/python bench/latency.py [--renders 100]
Prints p50/p95 of the render answer time and of render→delivered (request sent until GET shows success),
and writes docs/latency.json. A script, not a test: nothing asserts on these numbers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._stack import session_with_s3_storage, workspaces
from courier_tools.local.demo import free_port
from courier_tools.local.stack import LocalStack, LocalStackConfig


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=100)
    args = parser.parse_args()
    config = LocalStackConfig(port=free_port(), aws_port=free_port(), workspaces=workspaces())
    with LocalStack(config) as stack:
        session = session_with_s3_storage(stack)
        answered, delivered = [], []
        for i in range(args.renders):
            start = time.perf_counter()
            answer = session.post(
                f"{stack.api_url}/v1/renders",
                json={"templateId": "social-card", "modifications": {"headline": f"Render {i}"}},
                timeout=30,
            ).json()
            answered.append(time.perf_counter() - start)
            while True:
                status = session.get(f"{stack.api_url}/v1/renders/{answer['id']}", timeout=30).json()
                if status["connections"][0]["status"] != "pending":
                    break
                time.sleep(0.01)
            assert status["connections"][0]["status"] == "success", status
            delivered.append(time.perf_counter() - start)
    result = {
        "renders": args.renders,
        "answer_p50_s": round(percentile(answered, 0.5), 3),
        "answer_p95_s": round(percentile(answered, 0.95), 3),
        "delivered_p50_s": round(percentile(delivered, 0.5), 3),
        "delivered_p95_s": round(percentile(delivered, 0.95), 3),
        "delivered_mean_s": round(statistics.mean(delivered), 3),
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).resolve().parents[1] / "docs" / "latency.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
