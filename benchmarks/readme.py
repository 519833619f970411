"""Paste the tables of the last bench runs into the README's Performance section:

python -m benchmarks.readme            # medium, and large when there is a result
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _memory(machine: dict) -> str:
    settings = machine.get("postgresql_settings")
    if not settings:
        return ""
    return f" ({settings['shared_buffers']} of shared buffers)"


def block(scale: str) -> str | None:
    path = ROOT / "benchmarks" / "results" / f"{scale}.json"
    if not path.exists():
        return None
    results = json.loads(path.read_text())
    when = results["generated_at"][:10]
    machine = results["machine"]
    head = (
        f"**{scale}**, run on {results.get('ran_at', when)[:10]}: {machine['cores']} cores "
        f"({machine['cpu']}), {machine['memory_gib']} GiB, PostgreSQL "
        f"{machine['postgresql'].split()[0]}{_memory(machine)}, Python {machine['python']}; "
        "the biggest seller "
        f"has {results['biggest_seller']['orders']:,} orders."
    )
    return f"{head}\n\n{results['markdown'].split(chr(10), 2)[2]}"


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    for scale in ("medium", "large"):
        table = block(scale)
        if table is None:
            continue
        pattern = re.compile(rf"(<!-- bench:{scale} -->\n).*?(<!-- /bench:{scale} -->)", re.S)
        text = pattern.sub(lambda m, t=table: f"{m.group(1)}{t}\n{m.group(2)}", text)
    readme.write_text(text)


if __name__ == "__main__":
    main()
